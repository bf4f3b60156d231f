namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// data_type 201: runs its cards <c>loop_count</c> times, or while its condition holds (checked
/// before each pass, at most <c>max_loops</c> passes so a condition that never turns false cannot
/// keep a VU past its stage).
/// </summary>
public sealed class LoopController(IReadOnlyList<ICard> cards, int loops, IVuCondition? whileCondition) : ICard
{
    public const int DefaultMaxLoops = 1000;

    public int Loops { get; } = loops;

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        for (var pass = 0; pass < Loops && !cancellationToken.IsCancellationRequested; pass++)
        {
            if (whileCondition is not null && !whileCondition.IsTrue(vu))
            {
                return;
            }
            await CardSequence.RunAsync(cards, vu, cancellationToken);
        }
    }
}
