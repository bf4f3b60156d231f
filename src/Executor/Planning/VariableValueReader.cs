using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Planning;

/// <summary>Reads a variable's "variable" array into its values, one reading per variable_type (docs/variables.md).</summary>
internal static class VariableValueReader
{
    /// <param name="variable">The plan's variable, whose values this sets.</param>
    /// <param name="type">The variable's variable_type: how its values are read.</param>
    /// <param name="values">Its stored "variable" array.</param>
    /// <param name="path">The path of the "variable" field, e.g. <c>variables[2].variable</c>, for messages.</param>
    public static void Read(Variable variable, VariableType type, JsonArray values, string path)
    {
        switch (type)
        {
            case VariableType.IntegerRange:
                variable.Range = IntegerRange(values, path);
                break;
            case VariableType.Enumeration:
                variable.List = List(NonEmpty(values, path).Select((v, i) => Scalar(v, $"{path}[{i}]")));
                break;
            case VariableType.File:
                variable.List = List(NonEmpty(values, path).Select((v, i) => Row(v, $"{path}[{i}]")));
                break;
            case VariableType.Text:
                variable.List = Text(values, path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "not a variable_type");
        }
    }

    private static ValueList List(IEnumerable<string> values)
    {
        var list = new ValueList();
        list.Values.AddRange(values);
        return list;
    }

    /// <summary>[min, max]: the API documents JSON numbers ([1, 10]); integer strings (["1", "10"]) are accepted too,
    /// since both spellings are unambiguous.</summary>
    private static IntegerRange IntegerRange(JsonArray values, string path)
    {
        if (values.Count != 2 || !TryInteger(values[0], out var min) || !TryInteger(values[1], out var max) || min > max)
        {
            throw new VariableDefinitionException($"{path}: an integer range needs two integers, min <= max, not {Show(values)}");
        }
        // Draw positions are longs; a range of 2^63 or more integers has no such count.
        if ((ulong)(max - min) >= long.MaxValue)
        {
            throw new VariableDefinitionException($"{path}: the integer range {Show(values)} holds more than {long.MaxValue} values");
        }
        return new IntegerRange { Min = min, Max = max };
    }

    private static ValueList Text(JsonArray values, string path)
    {
        // A text variable is one fixed value; more than one would leave it unclear which one a draw returns.
        if (values.Count != 1)
        {
            throw new VariableDefinitionException($"{path}: a text variable needs exactly one value, not {values.Count}");
        }
        return List([Scalar(values[0], $"{path}[0]")]);
    }

    private static JsonArray NonEmpty(JsonArray values, string path) =>
        values.Count > 0 ? values : throw new VariableDefinitionException($"{path}: needs at least one value");

    /// <summary>A file row: a string is the row as uploaded (commas and all); an array of columns is joined with ","
    /// so both spellings of a row give the same value.</summary>
    private static string Row(JsonNode? row, string path)
    {
        if (row is not JsonArray columns)
        {
            return Scalar(row, path);
        }
        if (columns.Count == 0)
        {
            throw new VariableDefinitionException($"{path}: a row needs at least one column");
        }
        return string.Join(',', columns.Select((c, i) => Scalar(c, $"{path}[{i}]")));
    }

    /// <summary>A string as is; a number or boolean as its JSON text (1.50 stays "1.50").</summary>
    private static string Scalar(JsonNode? value, string path) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw new VariableDefinitionException($"{path}: a value must be a string, number or boolean, not {Kind(value)}"),
    };

    private static bool TryInteger(JsonNode? value, out long result)
    {
        result = 0;
        return value?.GetValueKind() switch
        {
            JsonValueKind.Number => value.AsValue().TryGetValue(out result),
            JsonValueKind.String => long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    internal static string Kind(JsonNode? value) => value is null ? "null" : value.GetValueKind().ToString().ToLowerInvariant();

    private static string Show(JsonArray values)
    {
        var text = values.ToJsonString();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
