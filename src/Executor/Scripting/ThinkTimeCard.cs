using System.Runtime.CompilerServices;
namespace PerfTest.Executor.Scripting;

/// <summary>content_type 1: the VU waits <c>think_time</c> milliseconds before its next card.</summary>
public sealed class ThinkTimeCard(TimeSpan delay) : ICard
{
    public TimeSpan Delay { get; } = delay;

    // Pooled: a VU runs this once per request; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }
        // Time spent thinking is not part of the next request's latency.
        vu.IntendedStart = 0;
    }
}
