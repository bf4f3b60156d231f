using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>One comparison of a checkpoint: a value of the response (status, body, header, JSON path) against <see cref="Comparison"/>.</summary>
public sealed class Check(ValueSource source, string key, JsonPath? path, Comparison comparison)
{
    public ValueSource Source { get; } = source;
    public CompareOperator Operator => comparison.Operator;
    public string Value => comparison.Value;

    public bool Passes(ResponseView response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return comparison.Holds(response.Value(Source, key, path));
    }
}

/// <summary>A checkpoint card: its checks, all of which (logic "and") or one of which (logic "or") must pass.</summary>
public sealed class Checkpoint(bool any, IReadOnlyList<Check> checks)
{
    public bool Any { get; } = any;
    public IReadOnlyList<Check> Checks { get; } = checks;

    /// <summary>A checkpoint of the plan (read and checked by Planning.RuleReader).</summary>
    public static Checkpoint From(Contract.Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var checks = checkpoint.Checks.Select((c, i) => new Check(c.Source, c.Key,
            c.Source == ValueSource.JsonPath ? ValueSources.ParsePath(c.Key, $"{checkpoint.Path}.checks[{i}].key") : null,
            Comparison.From(c.Comparison, $"{checkpoint.Path}.checks[{i}]"))).ToList();
        return new Checkpoint(checkpoint.Any, checks);
    }

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
