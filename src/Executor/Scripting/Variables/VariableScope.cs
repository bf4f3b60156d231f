namespace PerfTest.Executor.Scripting.Variables;

/// <summary>
/// The variables one virtual user sees (not thread-safe: a VU runs one card at a time). A reference
/// resolves to the VU's extracted value first (kept across iterations until overwritten), then to the
/// global variable, drawn at most once per iteration (its first use) and reused until the iteration ends.
/// A name with neither renders as the empty string (an extraction that failed before any succeeded).
/// </summary>
public sealed class VariableScope(IGlobalVariables? globals) : IVariableResolver
{
    private readonly Dictionary<string, string> _extracted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _drawn = new(StringComparer.Ordinal);

    /// <summary>Forgets this iteration's draws of global variables: the next use draws again.</summary>
    public void BeginIteration()
    {
        if (_drawn.Count > 0)
        {
            _drawn.Clear();
        }
    }

    /// <summary>Sets an extracted variable; it shadows a global variable of the same name from now on.</summary>
    public void Set(string name, string value) => _extracted[name] = value;

    public bool TryGetExtracted(string name, out string value) => _extracted.TryGetValue(name, out value!);

    /// <summary>Whether the name has a value to give: extracted already, or a global variable.</summary>
    public bool IsDefined(string name) => _extracted.ContainsKey(name) || (globals?.Contains(name) ?? false);

    public string Resolve(string name)
    {
        if (_extracted.TryGetValue(name, out var value) || _drawn.TryGetValue(name, out value))
        {
            return value;
        }
        if (globals is not null && globals.Contains(name))
        {
            value = globals.Next(name);
            _drawn[name] = value;
            return value;
        }
        return "";
    }
}
