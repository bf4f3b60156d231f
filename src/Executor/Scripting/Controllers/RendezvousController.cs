namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// data_type 301: each VU waits here until <c>users</c> VUs have arrived (this executor's share),
/// or until <c>timeout</c> has passed since the first of them arrived; then all of them go on
/// together, so the block's requests reach the target as one burst.
/// </summary>
public sealed class RendezvousController(IReadOnlyList<ICard> cards, int users, TimeSpan timeout) : ICard
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _gate = NewGate();
    private int _arrived;

    public int Users { get; } = users;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>How many groups have gone through (by count or by timeout), for tests and logs.</summary>
    public int Releases { get; private set; }

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        await ArriveAsync(cancellationToken);
        // The wait is not part of the first request's latency.
        vu.IntendedStart = 0;
        await CardSequence.RunAsync(cards, vu, cancellationToken);
    }

    /// <summary>Completes when this VU's group is released.</summary>
    public async Task ArriveAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource gate;
        lock (_lock)
        {
            gate = _gate;
            if (++_arrived >= Users)
            {
                ReleaseLocked();
                return;
            }
        }
        try
        {
            await gate.Task.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The first arrival's timeout releases its whole group, however many came.
            lock (_lock)
            {
                if (ReferenceEquals(_gate, gate))
                {
                    ReleaseLocked();
                }
            }
        }
    }

    private void ReleaseLocked()
    {
        var released = _gate;
        _gate = NewGate();
        _arrived = 0;
        Releases++;
        released.TrySetResult();
    }

    // Released VUs continue on the pool, not inline on the releasing VU's thread: they go together.
    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
