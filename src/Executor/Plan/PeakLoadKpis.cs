using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Plan;

/// <summary>
/// peak_load_kpis of a stage: what the target must keep up while the load grows (modes 2 and 7).
/// A KPI holds while "measured comparison value" is true, e.g. average_response_time &lt;= 200 (ms)
/// or success_rate &gt;= 99 (percent of requests that succeeded).
/// </summary>
public sealed class PeakLoadKpis
{
    public const string AverageResponseTime = "average_response_time";
    public const string SuccessRate = "success_rate";

    public static readonly PeakLoadKpis None = new(null, null);

    private PeakLoadKpis(Kpi? averageResponseTime, Kpi? successRate)
    {
        AverageResponseMs = averageResponseTime;
        SuccessRatePercent = successRate;
    }

    public Kpi? AverageResponseMs { get; }
    public Kpi? SuccessRatePercent { get; }
    public bool Any => AverageResponseMs is not null || SuccessRatePercent is not null;

    /// <summary>
    /// The name of the first KPI that the numbers break (average_response_time, then success_rate),
    /// or null when all hold. No request means no evidence: nothing breaks.
    /// </summary>
    public string? Evaluate(long requests, long successes, double averageResponseMs)
    {
        if (requests <= 0)
        {
            return null;
        }
        if (AverageResponseMs is { } average && !average.Holds(averageResponseMs))
        {
            return AverageResponseTime;
        }
        if (SuccessRatePercent is { } rate && !rate.Holds(successes * 100.0 / requests))
        {
            return SuccessRate;
        }
        return null;
    }

    /// <summary>Reads peak_load_kpis; <paramref name="path"/> (stages[i].peak_load_kpis) names the field in errors.</summary>
    public static PeakLoadKpis Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject kpis)
        {
            return None;
        }
        var average = Kpi.Parse(kpis[AverageResponseTime], $"{path}.{AverageResponseTime}");
        var rate = Kpi.Parse(kpis[SuccessRate], $"{path}.{SuccessRate}");
        return average is null && rate is null ? None : new PeakLoadKpis(average, rate);
    }
}

/// <summary>One KPI: the measured value must compare to <see cref="Value"/> as <see cref="Comparison"/> says.</summary>
public sealed record Kpi(string Comparison, double Value)
{
    public bool Holds(double measured) => Comparison switch
    {
        "<" => measured < Value,
        "<=" => measured <= Value,
        ">" => measured > Value,
        ">=" => measured >= Value,
        // The API's documentation also lists a single "=".
        "==" or "=" => measured == Value,
        "!=" => measured != Value,
        _ => throw new InvalidOperationException($"comparison {Comparison} was not validated"),
    };

    /// <summary>An item with neither comparison nor value is absent (clients send empty items).</summary>
    public static Kpi? Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject item || (item["comparison"] is null && item["value"] is null))
        {
            return null;
        }
        var comparison = item["comparison"] is JsonValue c && c.TryGetValue(out string? s) ? s.Trim() : "";
        if (comparison is not ("<" or "<=" or ">" or ">=" or "==" or "=" or "!="))
        {
            throw new ScriptException($"{path}.comparison \"{comparison}\" must be one of <, <=, >, >=, ==, !=");
        }
        if (item["value"] is not JsonValue v || !v.TryGetValue(out double value))
        {
            throw new ScriptException($"{path}.value must be a number");
        }
        return new Kpi(comparison, value);
    }
}
