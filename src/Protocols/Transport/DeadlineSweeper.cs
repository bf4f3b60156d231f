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
    private static readonly HashSet<IDeadlineTarget> s_registered = new(ReferenceEqualityComparer.Instance);
    private static readonly Timer s_timer = new(static _ => Sweep(), null, Resolution, Resolution);

    // What sweeps iterate: an array, since reading one allocates nothing (enumerating a concurrent collection would,
    // 20 times a second). Rebuilt by the next sweep after targets came or went, not by each Add or Remove: copying
    // the array on every change made 10,000 VUs connecting cost 10,000 copies of a growing array (quadratic).
    private static IDeadlineTarget[] s_targets = [];
    private static bool s_changed;

    /// <summary>Registers a target; the sweeps see it from the next one on (so its timeout may fire one resolution later).</summary>
    public static void Add(IDeadlineTarget target)
    {
        GC.KeepAlive(s_timer);
        lock (s_gate)
        {
            s_changed |= s_registered.Add(target);
        }
    }

    /// <summary>Unregisters a target; a sweep already under way may still call it once, which targets tolerate.</summary>
    public static void Remove(IDeadlineTarget target)
    {
        lock (s_gate)
        {
            s_changed |= s_registered.Remove(target);
        }
    }

    /// <summary>The targets the sweeps call (after any pending change is applied): for tests.</summary>
    internal static int Count
    {
        get
        {
            lock (s_gate)
            {
                return s_registered.Count;
            }
        }
    }

    /// <summary>A Stopwatch timestamp <paramref name="timeout"/> from now.</summary>
    public static long DeadlineIn(TimeSpan timeout) => Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    private static void Sweep()
    {
        lock (s_gate)
        {
            if (s_changed)
            {
                s_targets = [.. s_registered];
                s_changed = false;
            }
        }
        var now = Stopwatch.GetTimestamp();
        foreach (IDeadlineTarget target in s_targets)
        {
            target.ExpireIfDue(now);
        }
    }
}
