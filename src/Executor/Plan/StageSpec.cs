using PerfTest.Executor.Contract;

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

    /// <summary>A stage of the plan (read by Planning.StageReader) with this executor's place in the run.</summary>
    public static StageSpec From(Stage stage, int executorIndex, int executorCount)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return new StageSpec
        {
            Name = stage.Name,
            OperateMode = stage.OperateMode,
            PressureMode = stage.PressureMode,
            DurationSeconds = stage.TimeSeconds,
            Count = stage.Count,
            ExecutorIndex = executorIndex,
            ExecutorCount = Math.Max(1, executorCount),
            IssueNum = stage.IssueNum,
            CurrentUserNum = stage.HasCurrentUserNum ? stage.CurrentUserNum : null,
            Tps = stage.Tps,
            CurrentTps = stage.HasCurrentTps ? stage.CurrentTps : null,
            RampUpSeconds = stage.RampUpSeconds,
            Manual = stage.Manual,
            Minimum = stage.Minimum,
            Maximum = stage.Maximum,
            LoopCount = stage.LoopCount,
            MaxDurationSeconds = stage.MaxDurationSeconds,
            StepSize = stage.StepSize,
            StepDurationSeconds = stage.StepDurationSeconds,
            Kpis = stage.PressureMode is 2 or 7 ? PeakLoadKpis.From(stage) : PeakLoadKpis.None,
        };
    }
}

/// <summary>Splits a total over executors so that the shares always add up to the total.</summary>
public static class Share
{
    public static long Of(long total, int index, int count) =>
        count <= 1 ? total : total / count + (index < total % count ? 1 : 0);
}
