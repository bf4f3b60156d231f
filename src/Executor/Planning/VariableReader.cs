using System.Text.Json;
using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Planning;

/// <summary>
/// Reads global variables as the API holds them (4.4 VariableDetail): name, variable_type, variable (the values),
/// variable_mode and share_mode. Other fields (id, is_quoted, file_size, ...) do not affect drawing and are left out.
/// A definition that cannot be drawn from is a <see cref="VariableDefinitionException"/> naming the field.
/// </summary>
public static class VariableReader
{
    /// <summary>Every variable of a list; messages name them as <c>variables[i]</c>. Names must be unique.</summary>
    public static List<Variable> ReadAll(JsonArray variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var read = new List<Variable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            var variable = Read(variables[i], $"variables[{i}]");
            if (!names.Add(variable.Name))
            {
                throw new VariableDefinitionException($"variables[{i}].name: '{variable.Name}' is given more than once");
            }
            read.Add(variable);
        }
        return read;
    }

    /// <param name="node">The variable.</param>
    /// <param name="path">The variable's path for messages, e.g. <c>variables[2]</c>.</param>
    public static Variable Read(JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            throw new VariableDefinitionException($"{path}: a variable must be an object, not {VariableValueReader.Kind(node)}");
        }
        var name = obj["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
        if (string.IsNullOrEmpty(name))
        {
            throw new VariableDefinitionException($"{path}.name: a variable needs a non-empty string name");
        }
        var type = Enum<VariableType>(obj, path, "variable_type", required: true);
        var variable = new Variable
        {
            Name = name,
            VariableType = (int)type,
            VariableMode = (int)Enum<VariableMode>(obj, path, "variable_mode", required: false),
            ShareMode = (int)Enum<ShareMode>(obj, path, "share_mode", required: false),
        };
        if (obj["variable"] is not JsonArray raw)
        {
            throw new VariableDefinitionException($"{path}.variable: the values must be an array, not {VariableValueReader.Kind(obj["variable"])}");
        }
        VariableValueReader.Read(variable, type, raw, $"{path}.variable");
        return variable;
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
