namespace PerfTest.Executor.Scripting.Variables;

/// <summary>variable_type 2 (enumeration), 3 (file rows) and 5 (text, a single value): values listed one by one,
/// already converted to the strings a draw returns, so a draw allocates nothing.</summary>
internal sealed class ValueListSource(IReadOnlyList<string> values) : IValueSource
{
    private readonly string[] _values = values.Count > 0 ? [.. values] : throw new ArgumentException("a value list needs at least one value", nameof(values));

    public long Count => _values.Length;

    public string this[long position] => _values[position];
}
