using PerfTest.Executor.Contract;

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

    /// <summary>The KPIs of a plan's stage (read and checked by Planning.StageReader).</summary>
    public static PeakLoadKpis From(Stage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var average = stage.AverageResponseTime is { } a ? new Kpi(a.Comparison, a.Value) : null;
        var rate = stage.SuccessRate is { } r ? new Kpi(r.Comparison, r.Value) : null;
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
}
