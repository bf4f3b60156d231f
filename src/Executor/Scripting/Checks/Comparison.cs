using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>
/// One "actual operator value" comparison, shared by checkpoints (on a response) and controller
/// conditions (on a VU's variables): the operator names of scripts, their parsing, and their meaning.
/// An absent actual value fails every operator but not_exists; numeric operators compare as numbers
/// (invariant culture) and fail on an actual value that is not one.
/// </summary>
public sealed class Comparison
{
    private static readonly (string Name, CheckOperator Operator)[] Names =
    [
        ("equals", CheckOperator.Equals), ("not_equals", CheckOperator.NotEquals), ("contains", CheckOperator.Contains),
        ("not_contains", CheckOperator.NotContains), ("matches", CheckOperator.Matches), ("less", CheckOperator.Less),
        ("less_or_equal", CheckOperator.LessOrEqual), ("greater", CheckOperator.Greater),
        ("greater_or_equal", CheckOperator.GreaterOrEqual), ("exists", CheckOperator.Exists), ("not_exists", CheckOperator.NotExists),
    ];

    private readonly Regex? _regex;
    private readonly double _number;

    private Comparison(CheckOperator op, string value, Regex? regex)
    {
        Operator = op;
        Value = value;
        _regex = regex;
        _number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;
    }

    public CheckOperator Operator { get; }

    public string Value { get; }

    /// <summary>Reads <c>operator</c> and <c>value</c> of an item; errors name the field under <paramref name="path"/>.</summary>
    public static Comparison Parse(JsonObject item, string path)
    {
        var opText = ScriptJson.Text(item, "operator");
        var op = Names.FirstOrDefault(o => o.Name == opText);
        if (op.Name is null)
        {
            throw new ScriptException($"{path}.operator '{opText}' is not one of {string.Join(", ", Names.Select(o => o.Name))}");
        }
        var value = ScriptJson.Text(item, "value");
        if (value is null && op.Operator is not (CheckOperator.Exists or CheckOperator.NotExists))
        {
            throw new ScriptException($"{path}.value is required for operator {op.Name}");
        }
        if (IsNumeric(op.Operator) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new ScriptException($"{path}.value '{value}' is not a number, which operator {op.Name} needs");
        }
        var regex = op.Operator == CheckOperator.Matches ? ScriptRegex.Create(value, path + ".value") : null;
        return new Comparison(op.Operator, value ?? "", regex);
    }

    /// <summary>The logic of a list of comparisons: "and" (default) or "or"; true for "or".</summary>
    public static bool ParseAny(JsonObject owner, string path)
    {
        var logic = ScriptJson.Text(owner, "logic") ?? "and";
        return logic switch
        {
            "and" => false,
            "or" => true,
            _ => throw new ScriptException($"{path}.logic '{logic}' is not one of and, or"),
        };
    }

    /// <summary>The non-empty array of item objects of <paramref name="member"/>, with each item's path.</summary>
    public static IEnumerable<(JsonObject Item, string Path)> Items(JsonObject owner, string member, string path, string what)
    {
        if (owner[member] is not JsonArray { Count: > 0 } items)
        {
            throw new ScriptException($"{path}.{member} is required: a non-empty array of {what}");
        }
        for (var i = 0; i < items.Count; i++)
        {
            yield return (items[i] as JsonObject ?? throw new ScriptException($"{path}.{member}[{i}] is not an object"), $"{path}.{member}[{i}]");
        }
    }

    public bool Holds(string? actual)
    {
        if (actual is null)
        {
            return Operator == CheckOperator.NotExists;
        }
        return Operator switch
        {
            CheckOperator.Equals => actual == Value,
            CheckOperator.NotEquals => actual != Value,
            CheckOperator.Contains => actual.Contains(Value, StringComparison.Ordinal),
            CheckOperator.NotContains => !actual.Contains(Value, StringComparison.Ordinal),
            CheckOperator.Matches => _regex!.IsMatch(actual),
            CheckOperator.Exists => true,
            CheckOperator.NotExists => false,
            _ => double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Compare(number),
        };
    }

    private bool Compare(double number) => Operator switch
    {
        CheckOperator.Less => number < _number,
        CheckOperator.LessOrEqual => number <= _number,
        CheckOperator.Greater => number > _number,
        _ => number >= _number,
    };

    private static bool IsNumeric(CheckOperator op) =>
        op is CheckOperator.Less or CheckOperator.LessOrEqual or CheckOperator.Greater or CheckOperator.GreaterOrEqual;
}
