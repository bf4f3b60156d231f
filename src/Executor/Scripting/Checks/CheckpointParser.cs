using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>
/// Reads a checkpoint card (content_type 3): <c>{"logic": "and"|"or", "checks": [{"source", "key",
/// "operator", "value"}]}</c>, docs/scripts.md. Unknown fields are ignored.
/// </summary>
public static class CheckpointParser
{
    private static readonly (string Name, CheckOperator Operator)[] Operators =
    [
        ("equals", CheckOperator.Equals), ("not_equals", CheckOperator.NotEquals), ("contains", CheckOperator.Contains),
        ("not_contains", CheckOperator.NotContains), ("matches", CheckOperator.Matches), ("less", CheckOperator.Less),
        ("less_or_equal", CheckOperator.LessOrEqual), ("greater", CheckOperator.Greater),
        ("greater_or_equal", CheckOperator.GreaterOrEqual), ("exists", CheckOperator.Exists), ("not_exists", CheckOperator.NotExists),
    ];

    private static readonly ValueSource[] Sources = [ValueSource.Status, ValueSource.Body, ValueSource.Header, ValueSource.JsonPath];

    /// <param name="path">The path of the card's <c>content</c> object, e.g. contents[0].content[1].content.</param>
    public static Checkpoint Parse(JsonObject info, string path)
    {
        var logic = ScriptJson.Text(info, "logic") ?? "and";
        if (logic is not ("and" or "or"))
        {
            throw new ScriptException($"{path}.logic '{logic}' is not one of and, or");
        }
        if (info["checks"] is not JsonArray { Count: > 0 } checks)
        {
            throw new ScriptException($"{path}.checks is required: a non-empty array of checks");
        }
        var parsed = new List<Check>();
        for (var i = 0; i < checks.Count; i++)
        {
            parsed.Add(ParseCheck(checks[i] as JsonObject ?? throw new ScriptException($"{path}.checks[{i}] is not an object"), $"{path}.checks[{i}]"));
        }
        return new Checkpoint(logic == "or", parsed);
    }

    private static Check ParseCheck(JsonObject check, string path)
    {
        var source = ValueSources.Parse(ScriptJson.Text(check, "source"), path + ".source", Sources);
        var key = ScriptJson.Text(check, "key");
        var jsonPath = source == ValueSource.JsonPath ? ValueSources.ParsePath(key, path + ".key") : null;
        if (source == ValueSource.Header && string.IsNullOrEmpty(key))
        {
            throw new ScriptException($"{path}.key is required for source header: the header name");
        }
        var opText = ScriptJson.Text(check, "operator");
        var op = Operators.FirstOrDefault(o => o.Name == opText);
        if (op.Name is null)
        {
            throw new ScriptException($"{path}.operator '{opText}' is not one of {string.Join(", ", Operators.Select(o => o.Name))}");
        }
        var value = ScriptJson.Text(check, "value");
        if (value is null && op.Operator is not (CheckOperator.Exists or CheckOperator.NotExists))
        {
            throw new ScriptException($"{path}.value is required for operator {op.Name}");
        }
        if (op.Operator is CheckOperator.Less or CheckOperator.LessOrEqual or CheckOperator.Greater or CheckOperator.GreaterOrEqual
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new ScriptException($"{path}.value '{value}' is not a number, which operator {op.Name} needs");
        }
        var regex = op.Operator == CheckOperator.Matches ? ScriptRegex.Create(value, path + ".value") : null;
        return new Check(source, key ?? "", jsonPath, op.Operator, value ?? "", regex);
    }
}
