using System.Text.Json.Nodes;

namespace PerfTest.Executor.Plan;

/// <summary>
/// One stage of a case (TestCaseStage) with the stage's totals (all executors together) and this
/// executor's place among them. Shapes compute the stage's total level at a moment and only then
/// take this executor's share (<see cref="ShareOf(long)"/>): dividing the parameters first would
/// round each executor's curve differently, and the executors' sum would drift from the curve.
/// </summary>
public sealed record StageSpec
{
    public string Name { get; init; } = "";
    /// <summary>0: run for <see cref="DurationSeconds"/>; 1: run <see cref="Count"/> iterations.</summary>
    public int OperateMode { get; init; }
    public int PressureMode { get; init; }
    public int DurationSeconds { get; init; }
    /// <summary>count: iterations of the whole stage (operate_mode 1).</summary>
    public long Count { get; init; }
    public int ExecutorIndex { get; init; }
    public int ExecutorCount { get; init; } = 1;
    /// <summary>issue_num: concurrency modes' VUs at the end of the ramp; TPS modes' most VUs busy at once.</summary>
    public int IssueNum { get; init; }
    /// <summary>current_user_num, when given.</summary>
    public int? CurrentUserNum { get; init; }
    public int Tps { get; init; }
    /// <summary>current_tps, when given.</summary>
    public int? CurrentTps { get; init; }
    public int RampUpSeconds { get; init; }
    /// <summary>voltage_regulating_mode 1: the level is set by hand (<see cref="Load.ManualLevel"/>).</summary>
    public bool Manual { get; init; }
    public int Minimum { get; init; }
    public int Maximum { get; init; }
    public int LoopCount { get; init; }
    public int MaxDurationSeconds { get; init; }
    public int StepSize { get; init; }
    public int StepDurationSeconds { get; init; }
    public PeakLoadKpis Kpis { get; init; } = PeakLoadKpis.None;

    /// <summary>Without a ramp start the stage starts at its full level.</summary>
    public int StartUsers => CurrentUserNum ?? IssueNum;
    public int StartTps => CurrentTps ?? Tps;

    /// <summary>This executor's iterations in count mode.</summary>
    public long Iterations => ShareOf(Count);

    /// <summary>This executor's share of a whole-stage level.</summary>
    public long ShareOf(long total) => Share.Of(total, ExecutorIndex, ExecutorCount);

    /// <summary>
    /// This executor's share of a whole-stage rate: the whole part is split like any level, the
    /// fraction (a ramp between two whole rates) evenly, so the shares still add up to the rate.
    /// </summary>
    public double ShareOfRate(double total)
    {
        var whole = Math.Floor(total);
        return ShareOf((long)whole) + (total - whole) / Math.Max(1, ExecutorCount);
    }

    public static StageSpec Parse(JsonObject stage, int executorIndex, int executorCount, int stageIndex = 0)
    {
        int? Opt(string name) => stage[name] is JsonValue v && v.TryGetValue(out long x) ? (int)Math.Clamp(x, 0, int.MaxValue) : null;
        int Int(string name) => Opt(name) ?? 0;
        var pressureMode = Int("pressure_mode");
        return new StageSpec
        {
            Name = stage["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : "",
            OperateMode = Int("operate_mode"),
            PressureMode = pressureMode,
            DurationSeconds = Int("time"),
            Count = stage["count"] is JsonValue c && c.TryGetValue(out long count) ? Math.Max(0, count) : 0,
            ExecutorIndex = executorIndex,
            ExecutorCount = Math.Max(1, executorCount),
            IssueNum = Int("issue_num"),
            CurrentUserNum = Opt("current_user_num"),
            Tps = Int("tps_value"),
            CurrentTps = Opt("current_tps"),
            RampUpSeconds = Int("ramp_up"),
            // Older clients spell it voltage_regulation_mode.
            Manual = (Opt("voltage_regulating_mode") ?? Opt("voltage_regulation_mode")) == 1,
            Minimum = Int("minimum"),
            Maximum = Int("maximum"),
            LoopCount = Int("loop_count"),
            MaxDurationSeconds = Int("max_duration"),
            StepSize = Int("step_size"),
            StepDurationSeconds = Int("step_duration"),
            // Only the modes that act on KPIs read them, so a stale KPI block cannot refuse another mode's stage.
            Kpis = pressureMode is 2 or 7 ? PeakLoadKpis.Parse(stage["peak_load_kpis"], $"stages[{stageIndex}].peak_load_kpis") : PeakLoadKpis.None,
        };
    }
}

/// <summary>Splits a total over executors so that the shares always add up to the total.</summary>
public static class Share
{
    public static long Of(long total, int index, int count) =>
        count <= 1 ? total : total / count + (index < total % count ? 1 : 0);
}
