using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// pressure_mode 0 (concurrency) and 2 (high pressure, which adds KPIs on the same curve):
/// issue_num VUs; when ramp_up is given, the VUs grow linearly from current_user_num to issue_num
/// over ramp_up seconds, then hold (rounded down: a VU starts once a whole one is due).
/// </summary>
public sealed class ConstantOrRampingUsers(StageSpec stage) : ConcurrencyCurve(stage)
{
    private readonly LinearRamp _ramp = new(Math.Min(stage.StartUsers, stage.IssueNum), stage.IssueNum, stage.RampUpSeconds);

    public override int TotalAt(TimeSpan elapsed) => WholeUsers(_ramp.At(elapsed));
}
