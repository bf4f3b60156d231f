using System.Collections.Concurrent;

namespace PerfTest.Executor.Scripting.Variables;

/// <summary>
/// The share_mode 1 (concurrent mode) cursors of one run on one executor: every case run of that run parses its
/// variables against the same registry, so all their VUs draw from one cursor per variable. Create one per run per
/// executor and drop it with the run; share_mode 0 cursors never live here (each <see cref="GlobalVariables"/>
/// makes its own).
/// </summary>
public sealed class VariableCursorRegistry
{
    private readonly ConcurrentDictionary<string, IVariableCursor> _cursors = new(StringComparer.Ordinal);

    /// <summary>How many shared cursors exist (for tests and diagnostics).</summary>
    public int Count => _cursors.Count;

    internal IVariableCursor CursorFor(VariableDefinition definition, int executorIndex, int executorCount) =>
        // Case runs of one run may parse concurrently; GetOrAdd may then build a cursor twice, but only the stored
        // one is ever handed out, so no draws are lost.
        _cursors.GetOrAdd(definition.Key, _ => definition.CreateCursor(executorIndex, executorCount));
}
