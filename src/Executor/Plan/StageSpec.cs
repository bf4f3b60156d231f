using PerfTest.Executor.Contract;

namespace PerfTest.Executor.Plan;

/// <summary>
/// One stage of a case (TestCaseStage) with the stage's totals (all executors together) and this
/// executor's place among them (<see cref="Place"/>, shared by the plan's stages and read live). Shapes compute the stage's total level at a moment and only then
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
    /// <summary>This executor's place in the group, shared by all the stages of its plan; a reshare moves it.</summary>
    public GroupPlace Place { get; init; } = new(0, 1);

    /// <summary>This executor's index now; setting it (tests, single stages) gives the stage a place of its own.</summary>
    public int ExecutorIndex
    {
        get => Place.Index;
        init => Place = new GroupPlace(value, Place.Count);
    }

    /// <summary>The group's executor count now; setting it gives the stage a place of its own, as <see cref="ExecutorIndex"/>.</summary>
    public int ExecutorCount
    {
        get => Place.Count;
        init => Place = new GroupPlace(Place.Index, value);
    }
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

    /// <summary>This executor's iterations in count mode, at its place now.</summary>
    public long Iterations => ShareOf(Count);

    /// <summary>This executor's share of a whole-stage level, at its place now.</summary>
    public long ShareOf(long total) => Place.ShareOf(total);

    /// <summary>This executor's share of a whole-stage rate, at its place now (<see cref="GroupPlace.ShareOfRate"/>).</summary>
    public double ShareOfRate(double total) => Place.ShareOfRate(total);

    /// <summary>A stage of the plan (read by Planning.StageReader) with this executor's place in the run.</summary>
    public static StageSpec From(Stage stage, int executorIndex, int executorCount) =>
        From(stage, new GroupPlace(executorIndex, executorCount));

    /// <summary>A stage of the plan at <paramref name="place"/>, which the plan's stages share (a reshare moves them all).</summary>
    public static StageSpec From(Stage stage, GroupPlace place)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(place);
        return new StageSpec
        {
            Name = stage.Name,
            OperateMode = stage.OperateMode,
            PressureMode = stage.PressureMode,
            DurationSeconds = stage.TimeSeconds,
            Count = stage.Count,
            Place = place,
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
