using System.Globalization;
using System.Text.RegularExpressions;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>
/// One comparison of a checkpoint. A value the response lacks (absent header, body not JSON, path
/// leading nowhere) fails every operator but not_exists. Numeric operators compare as numbers
/// (invariant culture); a response value that is not a number fails them.
/// </summary>
public sealed class Check(ValueSource source, string key, JsonPath? path, CheckOperator op, string value, Regex? regex)
{
    private readonly double _number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;

    public ValueSource Source { get; } = source;
    public CheckOperator Operator { get; } = op;
    public string Value { get; } = value;

    public bool Passes(ResponseView response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var actual = response.Value(Source, key, path);
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
            CheckOperator.Matches => regex!.IsMatch(actual),
            CheckOperator.Exists => true,
            CheckOperator.NotExists => false,
            _ => Compare(actual),
        };
    }

    private bool Compare(string actual)
    {
        if (!double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        return Operator switch
        {
            CheckOperator.Less => number < _number,
            CheckOperator.LessOrEqual => number <= _number,
            CheckOperator.Greater => number > _number,
            _ => number >= _number,
        };
    }
}

/// <summary>A checkpoint card: its checks, all of which (logic "and") or one of which (logic "or") must pass.</summary>
public sealed class Checkpoint(bool any, IReadOnlyList<Check> checks)
{
    public bool Any { get; } = any;
    public IReadOnlyList<Check> Checks { get; } = checks;

    public bool Passes(ResponseView response)
    {
        foreach (var check in Checks)
        {
            if (check.Passes(response) == Any)
            {
                return Any;
            }
        }
        return !Any;
    }
}
