using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// A case plan compiled for running: setup cards (once per VU), the iteration's cards, the identity of every
/// metric key its cards record under (packet cards, then transactions), and the global variables its
/// references draw from (null when none were given).
/// </summary>
public sealed record CompiledScript(
    IReadOnlyList<ICard> Setup,
    IReadOnlyList<ICard> Main,
    IReadOnlyList<MetricKey> Keys,
    int ConnectionSlots,
    IGlobalVariables? Globals = null)
{
    /// <summary>How many keys are packet cards' (0 .. RequestCount - 1); transactions' follow.</summary>
    public int RequestCount { get; } = Keys.Count(k => k.Kind == MetricKeyKind.Request);

    /// <summary>Every metric key: request cards, then transactions.</summary>
    public int KeyCount => Keys.Count;
}
