namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>data_type 202: runs its cards when the condition holds, else its <c>else</c> cards (if any).</summary>
public sealed class ConditionController(IVuCondition condition, IReadOnlyList<ICard> then, IReadOnlyList<ICard> otherwise) : ICard
{
    public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        CardSequence.RunAsync(condition.IsTrue(vu) ? then : otherwise, vu, cancellationToken);
}

/// <summary>A condition a VU evaluates on its own state (variables, last response).</summary>
public interface IVuCondition
{
    bool IsTrue(VirtualUser vu);
}
