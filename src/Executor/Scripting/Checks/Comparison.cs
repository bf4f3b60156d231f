using System.Globalization;
using System.Text.RegularExpressions;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>
/// One "actual operator value" comparison, shared by checkpoints (on a response) and controller
/// conditions (on a VU's variables): what each operator means (their names are read by Planning.RuleReader).
/// An absent actual value fails every operator but not_exists; numeric operators compare as numbers
/// (invariant culture) and fail on an actual value that is not one.
/// </summary>
public sealed class Comparison
{
    private readonly Regex? _regex;
    private readonly double _number;

    private Comparison(CompareOperator op, string value, Regex? regex)
    {
        Operator = op;
        Value = value;
        _regex = regex;
        _number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;
    }

    public CompareOperator Operator { get; }

    public string Value { get; }

    /// <summary>A comparison of the plan; <paramref name="path"/> names its item in errors.</summary>
    public static Comparison From(Contract.Comparison comparison, string path)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var regex = comparison.Operator == CompareOperator.Matches ? ScriptRegex.Create(comparison.Value, path + ".value") : null;
        return new Comparison(comparison.Operator, comparison.Value, regex);
    }

    public bool Holds(string? actual)
    {
        if (actual is null)
        {
            return Operator == CompareOperator.NotExists;
        }
        return Operator switch
        {
            CompareOperator.Equals => actual == Value,
            CompareOperator.NotEquals => actual != Value,
            CompareOperator.Contains => actual.Contains(Value, StringComparison.Ordinal),
            CompareOperator.NotContains => !actual.Contains(Value, StringComparison.Ordinal),
            CompareOperator.Matches => _regex!.IsMatch(actual),
            CompareOperator.Exists => true,
            CompareOperator.NotExists => false,
            _ => double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Compare(number),
        };
    }

    private bool Compare(double number) => Operator switch
    {
        CompareOperator.Less => number < _number,
        CompareOperator.LessOrEqual => number <= _number,
        CompareOperator.Greater => number > _number,
        _ => number >= _number,
    };

    private static bool IsNumeric(CompareOperator op) =>
        op is CompareOperator.Less or CompareOperator.LessOrEqual or CompareOperator.Greater or CompareOperator.GreaterOrEqual;
}
