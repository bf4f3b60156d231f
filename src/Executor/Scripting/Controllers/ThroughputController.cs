namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// data_type 204: the block runs at most <c>tps</c> times per second of the run (this executor's
/// share of it, so the executors together keep the total). A VU that finds the second's budget
/// spent skips the block and goes on with the next card: the controller caps, it does not pace.
/// </summary>
public sealed class ThroughputController(IReadOnlyList<ICard> cards, int perSecond, TimeProvider clock) : ICard
{
    private long _second = long.MinValue;
    private int _used;

    public int PerSecond { get; } = perSecond;

    public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        TryTake() ? CardSequence.RunAsync(cards, vu, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Takes one run from the current second's budget.</summary>
    public bool TryTake()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var second = Volatile.Read(ref _second);
        if (second != now && Interlocked.CompareExchange(ref _second, now, second) == second)
        {
            // The first VU of a new second opens its budget. A VU still counting in the old second
            // may take one run from the new budget: it errs towards fewer runs, never more.
            Volatile.Write(ref _used, 0);
        }
        return Interlocked.Increment(ref _used) <= PerSecond;
    }
}
