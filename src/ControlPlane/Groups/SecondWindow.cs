namespace PerfTest.ControlPlane.Groups;

/// <summary>
/// The wall-clock seconds an executor's second may be stored under: from <see cref="LongestBuffered"/> ago (seconds an
/// executor buffered while its control plane was away, replayed when it is back) to <see cref="AheadAllowed"/> ahead (an
/// executor's clock a little ahead). A second outside is refused, and its case run ends with the reason: an executor
/// whose clock is off, or one that lies, would otherwise stretch the run's report over days or years.
/// </summary>
public sealed class SecondWindow(TimeProvider clock, TimeSpan aheadAllowed)
{
    /// <summary>
    /// The oldest a second may be: longer than an executor buffers (its orphan grace, 30 s by default) plus a takeover
    /// (a lease to expire, executors to come back), with room to spare.
    /// </summary>
    public static readonly TimeSpan LongestBuffered = TimeSpan.FromMinutes(15);

    /// <summary>How far ahead of this control plane's clock a second may be (Executors:MaxClockSkewSeconds).</summary>
    public TimeSpan AheadAllowed { get; } = aheadAllowed;

    /// <summary>Why a second at <paramref name="unixSecond"/> is refused; null when it is in the window.</summary>
    public string? Refusal(long unixSecond)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var ahead = unixSecond - now;
        if (ahead > AheadAllowed.TotalSeconds)
        {
            return $"it sent a second at unix_second {unixSecond}, {ahead} s ahead of the control plane's clock " +
                   $"(at most {AheadAllowed.TotalSeconds:F0} s, Executors:MaxClockSkewSeconds): synchronise its clock (NTP)";
        }
        if (-ahead > LongestBuffered.TotalSeconds)
        {
            return $"it sent a second at unix_second {unixSecond}, {-ahead} s behind the control plane's clock " +
                   $"(at most {LongestBuffered.TotalSeconds:F0} s): synchronise its clock (NTP)";
        }
        return null;
    }
}
