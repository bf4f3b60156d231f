using System.Collections.Concurrent;
using System.Diagnostics;

namespace PerfTest.Protocols.Http;

/// <summary>
/// Response timeouts without a timer or a token per request: each exchange just stores its
/// deadline, and one process-wide timer looks every <see cref="Resolution"/> for exchanges past
/// theirs and cancels their pending read or flush. Arming and disarming are plain stores, so the
/// hot path touches no timer queue and registers on no token; a timeout fires up to one
/// resolution late.
/// </summary>
internal static class DeadlineSweeper
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<IDeadlineTarget, byte> s_operations = new();
    private static readonly Timer s_timer = new(static _ => Sweep(), null, Resolution, Resolution);

    public static void Add(IDeadlineTarget operation)
    {
        GC.KeepAlive(s_timer);
        s_operations.TryAdd(operation, 0);
    }

    public static void Remove(IDeadlineTarget operation) => s_operations.TryRemove(operation, out _);

    private static void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var operation in s_operations.Keys)
        {
            operation.ExpireIfDue(now);
        }
    }
}

/// <summary>An exchange with a deadline (HTTP request, WebSocket message) that the sweeper checks.</summary>
internal interface IDeadlineTarget
{
    /// <summary>Called on the sweeper's thread every resolution; cancels the pending I/O when <paramref name="now"/> is past the deadline.</summary>
    void ExpireIfDue(long now);
}
