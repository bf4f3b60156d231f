using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfTest.Executor.Scripting.Variables;

/// <summary>One global variable as the API holds it (4.4 VariableDetail): name, variable_type, variable (the
/// values), variable_mode and share_mode. Other fields (id, is_quoted, file_size, ...) do not affect drawing
/// and are ignored.</summary>
internal sealed class VariableDefinition
{
    private VariableDefinition(string name, VariableType type, VariableMode mode, ShareMode share, IValueSource values, string key)
    {
        Name = name;
        Type = type;
        Mode = mode;
        Share = share;
        Values = values;
        Key = key;
    }

    public string Name { get; }

    public VariableType Type { get; }

    public VariableMode Mode { get; }

    public ShareMode Share { get; }

    public IValueSource Values { get; }

    /// <summary>Identifies the definition, values included: share_mode 1 cursors are keyed by it, so two cases that
    /// carried different definitions under one name could never index one variable's values with the other's cursor.</summary>
    public string Key { get; }

    public IVariableCursor CreateCursor(int executorIndex, int executorCount) => Mode == VariableMode.Random
        ? new RandomCursor(Values.Count)
        : new SequentialCursor(Values.Count, executorIndex, executorCount);

    /// <param name="node">The variable's JSON object.</param>
    /// <param name="path">The variable's path for messages, e.g. <c>variables[2]</c>.</param>
    public static VariableDefinition Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            throw new VariableDefinitionException($"{path}: a variable must be an object, not {VariableValueParser.Kind(node)}");
        }
        var name = obj["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
        if (string.IsNullOrEmpty(name))
        {
            throw new VariableDefinitionException($"{path}.name: a variable needs a non-empty string name");
        }
        var type = Enum<VariableType>(obj, path, "variable_type", required: true);
        var mode = Enum<VariableMode>(obj, path, "variable_mode", required: false);
        var share = Enum<ShareMode>(obj, path, "share_mode", required: false);
        if (obj["variable"] is not JsonArray raw)
        {
            throw new VariableDefinitionException($"{path}.variable: the values must be an array, not {VariableValueParser.Kind(obj["variable"])}");
        }
        var values = VariableValueParser.Parse(type, raw, $"{path}.variable");
        var key = string.Join('\n', name, (int)type, (int)mode, raw.ToJsonString());
        return new VariableDefinition(name, type, mode, share, values, key);
    }

    /// <summary>An integer field with a defined value; optional ones default to 0 as in the control plane.</summary>
    private static T Enum<T>(JsonObject obj, string path, string field, bool required) where T : struct, Enum
    {
        var node = obj[field];
        if (node is null && !required)
        {
            return default;
        }
        if (node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out int value) && System.Enum.IsDefined(typeof(T), value))
        {
            return (T)(object)value;
        }
        var defined = string.Join(", ", System.Enum.GetValues<T>().Select(v => $"{Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)} ({v})"));
        var given = node is null ? "missing" : $"{node.ToJsonString()} is unknown";
        throw new VariableDefinitionException($"{path}.{field}: {given}; it must be one of {defined}");
    }
}
