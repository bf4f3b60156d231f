using System.Diagnostics;

namespace PerfTest.Protocols.Transport;

/// <summary>Something with a deadline the sweeper checks: HTTP's send operation, TCP and UDP exchanges.</summary>
internal interface IDeadlineTarget
{
    /// <summary>Called on the sweeper's thread; <paramref name="now"/> is a Stopwatch timestamp.</summary>
    void ExpireIfDue(long now);
}

/// <summary>
/// Response timeouts without a timer or a token per request: each exchange just stores its
/// deadline, and one process-wide timer looks every <see cref="Resolution"/> for exchanges past
/// theirs and cancels their pending I/O. Arming and disarming are plain stores, so the
/// hot path touches no timer queue; a timeout fires up to one resolution late.
/// </summary>
internal static class DeadlineSweeper
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(50);

    private static readonly Lock s_gate = new();
    private static readonly Timer s_timer = new(static _ => Sweep(), null, Resolution, Resolution);

    // Copy on write: targets come and go once per connection object, sweeps run 20 times a second, and
    // reading an array allocates nothing (enumerating a concurrent collection would, on every sweep).
    private static IDeadlineTarget[] s_targets = [];

    public static void Add(IDeadlineTarget target)
    {
        GC.KeepAlive(s_timer);
        lock (s_gate)
        {
            if (Array.IndexOf(s_targets, target) < 0)
            {
                s_targets = [.. s_targets, target];
            }
        }
    }

    public static void Remove(IDeadlineTarget target)
    {
        lock (s_gate)
        {
            int index = Array.IndexOf(s_targets, target);
            if (index >= 0)
            {
                IDeadlineTarget[] targets = s_targets;
                s_targets = [.. targets.AsSpan(0, index), .. targets.AsSpan(index + 1)];
            }
        }
    }

    /// <summary>A Stopwatch timestamp <paramref name="timeout"/> from now.</summary>
    public static long DeadlineIn(TimeSpan timeout) => Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    private static void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (IDeadlineTarget target in Volatile.Read(ref s_targets))
        {
            target.ExpireIfDue(now);
        }
    }
}
