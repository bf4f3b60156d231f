using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// data_type 1, data instruction: sets VU variables before the block's cards run,
/// <c>"data": {"variables": [{"name": "order", "value": "o-${user}"}]}</c>; values may reference other
/// variables. The names can be referenced by later cards like extracted ones.
/// </summary>
public sealed class DataInstructionCard(IReadOnlyList<(string Name, TextTemplate Value)> assignments, IReadOnlyList<ICard> cards) : ICard
{
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in assignments)
        {
            vu.Variables.Set(name, value.Render(vu.Variables));
        }
        await CardSequence.RunAsync(cards, vu, cancellationToken);
    }
}
