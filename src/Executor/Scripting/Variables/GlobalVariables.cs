using System.Collections.Frozen;
using PerfTest.Executor.Contract;

namespace PerfTest.Executor.Scripting.Variables;

/// <summary>
/// The global variables of one case run on one executor. Build one per case run with <see cref="From"/>:
/// share_mode 0 variables get cursors of their own here (one cursor per case run, shared by that case's VUs);
/// share_mode 1 variables take their cursor from the run's <see cref="VariableCursorRegistry"/>.
/// Draws are thread-safe and lock-free; see docs/variables.md.
/// </summary>
public sealed class GlobalVariables : IGlobalVariables
{
    private readonly FrozenDictionary<string, Drawable> _variables;

    private GlobalVariables(FrozenDictionary<string, Drawable> variables) => _variables = variables;

    /// <summary>No variables at all, for cases of projects without any.</summary>
    public static GlobalVariables Empty { get; } = new(FrozenDictionary<string, Drawable>.Empty);

    /// <summary>The variables' names (ordinal, case-sensitive).</summary>
    public IEnumerable<string> Names => _variables.Keys;

    public bool Contains(string name) => _variables.ContainsKey(name);

    public string Next(string name) => _variables.TryGetValue(name, out var variable)
        ? variable.Next()
        : throw new KeyNotFoundException($"there is no global variable named '{name}'");

    /// <summary>The plan's variables for one case run on this executor.</summary>
    /// <param name="variables">The plan's variables (names unique, checked when the plan was built).</param>
    /// <param name="executorIndex">This executor's index in the run, 0 .. executorCount - 1.</param>
    /// <param name="executorCount">How many executors run the case; sequential values are partitioned among them.</param>
    /// <param name="shared">The run's share_mode 1 cursors on this executor.</param>
    /// <exception cref="VariableDefinitionException">A variable has no values.</exception>
    public static GlobalVariables From(IEnumerable<Variable> variables, int executorIndex, int executorCount, VariableCursorRegistry shared)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentOutOfRangeException.ThrowIfLessThan(executorCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(executorIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(executorIndex, executorCount);
        var byName = new Dictionary<string, Drawable>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var definition = VariableDefinition.From(variable);
            var cursor = definition.Share == ShareMode.Concurrent
                ? shared.CursorFor(definition, executorIndex, executorCount)
                : definition.CreateCursor(executorIndex, executorCount);
            if (!byName.TryAdd(definition.Name, new Drawable(definition.Values, cursor)))
            {
                throw new VariableDefinitionException($"variable '{definition.Name}' is given more than once");
            }
        }
        return new GlobalVariables(byName.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>A variable's values with the cursor that picks among them.</summary>
    private sealed class Drawable(IValueSource values, IVariableCursor cursor)
    {
        public string Next() => values[cursor.Next()];
    }
}
