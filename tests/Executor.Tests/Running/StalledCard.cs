using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Tests.Running;

/// <summary>A card whose target never answers until the test lets it: every VU that runs it stays busy.</summary>
internal sealed class StalledCard : ICard
{
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    /// <summary>How many iterations are waiting in the card.</summary>
    public int Entered => Volatile.Read(ref _entered);

    public void Release() => _answer.TrySetResult();

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        await _answer.Task;
    }
}
