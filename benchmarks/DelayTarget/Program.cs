using System.Diagnostics;

// Fixed-latency HTTP target for benchmarks/connections.sh.
//
//   dotnet PerfTest.DelayTarget.dll --urls http://127.0.0.1:PORT [--DelayMs 50]
//
// GET / answers "ok" after DelayMs (default 50) ms, over keep-alive connections. GET /stats answers
// {"accepted":n,"open":n,"max_open":n,"requests":n,"held_p50_ms":x,"held_p99_ms":x,"held_max_ms":x}: TCP connections
// accepted so far, open now, the most open at once, requests answered on /, and how long those requests were held
// from the handler's start until the answer was handed to Kestrel (the fixed delay plus this process's timer and
// thread-pool lateness). A generator's tp99 well above held_p99_ms is the generator's (or the kernel's) doing.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("DelayMs", 50));
var stats = new Stats();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxConcurrentConnections = null;
    k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);  // well above any think time the script uses
    k.AddServerHeader = false;
    k.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
    {
        stats.Opened();
        try
        {
            await next(connection);
        }
        finally
        {
            stats.Closed();
        }
    }));
});
var app = builder.Build();
app.MapGet("/stats", () => Results.Text(stats.ToJson(), "application/json"));
app.MapGet("/", async () =>
{
    long start = Stopwatch.GetTimestamp();
    await Task.Delay(delay);
    stats.Answered(Stopwatch.GetElapsedTime(start));
    return Results.Text("ok");
});
app.Run();

internal sealed class Stats
{
    private readonly long[] _heldMs = new long[10_001];  // one bucket per millisecond; the last holds 10 s and more
    private long _accepted, _open, _maxOpen, _requests;

    public void Opened()
    {
        Interlocked.Increment(ref _accepted);
        var open = Interlocked.Increment(ref _open);
        long max;
        while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
        {
        }
    }

    public void Closed() => Interlocked.Decrement(ref _open);

    public void Answered(TimeSpan held)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _heldMs[Math.Min((long)held.TotalMilliseconds, _heldMs.Length - 1)]);
    }

    public string ToJson()
    {
        long[] counts = [.. _heldMs];  // a copy while requests go on: each count is exact, the set is a moment's
        long total = counts.Sum();
        return $"{{\"accepted\":{Volatile.Read(ref _accepted)},\"open\":{Volatile.Read(ref _open)},\"max_open\":{Volatile.Read(ref _maxOpen)}," +
               $"\"requests\":{Volatile.Read(ref _requests)},\"held_p50_ms\":{Quantile(counts, total, 0.50)}," +
               $"\"held_p99_ms\":{Quantile(counts, total, 0.99)},\"held_max_ms\":{Quantile(counts, total, 1.0)}}}";
    }

    // The upper edge (ms) of the bucket holding the q-quantile; 0 with no requests.
    private static long Quantile(long[] counts, long total, double q)
    {
        long rank = Math.Max(1, (long)Math.Ceiling(q * total)), seen = 0;
        for (int ms = 0; ms < counts.Length && total > 0; ms++)
        {
            seen += counts[ms];
            if (seen >= rank)
            {
                return ms + 1;
            }
        }
        return 0;
    }
}
