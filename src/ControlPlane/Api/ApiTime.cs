using System.Globalization;

namespace PerfTest.ControlPlane.Api;

/// <summary>Times are stored as Unix microseconds and shown as ISO 8601 with offset, as the docs show them.</summary>
public static class ApiTime
{
    public static long NowMicros(TimeProvider clock) =>
        (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static string Format(long unixMicros) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixMicros * TimeSpan.TicksPerMicrosecond)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
}
