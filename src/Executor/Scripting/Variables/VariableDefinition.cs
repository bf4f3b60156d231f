using Google.Protobuf;
using PerfTest.Executor.Contract;

namespace PerfTest.Executor.Scripting.Variables;

/// <summary>One global variable of a plan, ready to draw from: its values and how draws move over them.</summary>
internal sealed class VariableDefinition
{
    private VariableDefinition(string name, VariableMode mode, ShareMode share, IValueSource values, string key)
    {
        Name = name;
        Mode = mode;
        Share = share;
        Values = values;
        Key = key;
    }

    public string Name { get; }

    public VariableMode Mode { get; }

    public ShareMode Share { get; }

    public IValueSource Values { get; }

    /// <summary>Identifies the definition, values included: share_mode 1 cursors are keyed by it, so two cases that
    /// carried different definitions under one name could never index one variable's values with the other's cursor.</summary>
    public string Key { get; }

    public IVariableCursor CreateCursor(int executorIndex, int executorCount) => Mode == VariableMode.Random
        ? new RandomCursor(Values.Count)
        : new SequentialCursor(Values.Count, executorIndex, executorCount);

    /// <summary>The plan's variable (read and checked by the control plane's <see cref="Planning.VariableReader"/>).</summary>
    public static VariableDefinition From(Variable variable)
    {
        IValueSource values = variable.ValuesCase switch
        {
            Variable.ValuesOneofCase.Range => new IntegerRangeSource(variable.Range.Min, variable.Range.Max),
            Variable.ValuesOneofCase.List when variable.List.Values.Count > 0 => new ValueListSource([.. variable.List.Values]),
            _ => throw new VariableDefinitionException($"variable '{variable.Name}' has no values"),
        };
        // The message's own encoding: the same definition always encodes the same (no maps in it).
        var key = Convert.ToBase64String(variable.ToByteArray());
        return new VariableDefinition(variable.Name, (VariableMode)variable.VariableMode, (ShareMode)variable.ShareMode, values, key);
    }
}
