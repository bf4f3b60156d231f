namespace PerfTest.Executor.Scripting;

/// <summary>content_type 1: the VU waits <c>think_time</c> milliseconds before its next card.</summary>
public sealed class ThinkTimeCard(TimeSpan delay) : ICard
{
    public TimeSpan Delay { get; } = delay;

    // Not async: the VU's own timer (VirtualUser.ThinkAsync) is the awaitable, so a wait allocates nothing. A pooled
    // async method would not do: thousands of VUs think at once, more than its cache of state machine boxes holds.
    public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        // Time spent thinking is not part of the next request's latency. (Cleared before the wait rather than after:
        // the VU runs nothing else meanwhile, and a cancelled wait ends its iteration.)
        vu.IntendedStart = 0;
        return Delay > TimeSpan.Zero ? vu.ThinkAsync(Delay, cancellationToken) : ValueTask.CompletedTask;
    }
}
