using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// pressure_mode 7 (intelligent high pressure): step k covers [k*step_duration, (k+1)*step_duration)
/// seconds and runs min(issue_num, start + k*step_size) VUs, where start is current_user_num (one
/// step_size when not given). Once issue_num is reached the level holds, still cut into steps:
/// the runner judges the KPIs at the end of every step (<see cref="Running.StepLimitSearch"/>).
/// </summary>
public sealed class SteppedUsers(StageSpec stage) : ConcurrencyCurve(stage)
{
    private readonly int _start = Math.Min(stage.CurrentUserNum ?? stage.StepSize, stage.IssueNum);

    public TimeSpan StepDuration { get; } = TimeSpan.FromSeconds(stage.StepDurationSeconds);

    public int StepAt(TimeSpan elapsed) => (int)Math.Min(int.MaxValue, elapsed.Ticks / StepDuration.Ticks);

    /// <summary>The whole stage's VUs during step <paramref name="step"/>.</summary>
    public int TotalOfStep(int step) => (int)Math.Min(Stage.IssueNum, _start + (long)step * Stage.StepSize);

    public override int TotalAt(TimeSpan elapsed) => TotalOfStep(StepAt(elapsed));
}
