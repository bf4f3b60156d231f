namespace PerfTest.Executor.Running;

/// <summary>
/// How a stage ended on this executor. <see cref="EndedBy"/> is null when the stage ran to its
/// end (time or count), "stop" when the run was stopped, "kpi:&lt;name&gt;" (kpi:average_response_time,
/// kpi:success_rate) when a KPI broke. For pressure_mode 7, <see cref="EstimatedLimitUsers"/> is the
/// whole stage's VUs in the last step that held its KPIs and <see cref="LimitAverageResponseMs"/>
/// that step's average response time (null when no step held).
/// </summary>
/// <remarks>
/// With several executors each executor judges its own requests (no executor waits for the
/// others' numbers every second); so each reports its own outcome, and an executor whose share
/// breaks a KPI ends its part of the stage while the others may go on.
/// </remarks>
public sealed record StageOutcome(int StageIndex, string? EndedBy, int? EstimatedLimitUsers = null, double? LimitAverageResponseMs = null)
{
    public const string Stopped = "stop";
    public const string KpiPrefix = "kpi:";
}
