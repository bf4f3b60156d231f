using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// pressure_mode 0 (concurrency): issue_num VUs; when ramp_up is given, the VUs grow linearly
/// from current_user_num to issue_num over ramp_up seconds (rounded down: a VU starts once a
/// whole one is due).
/// </summary>
public sealed class ConstantOrRampingUsers(StageSpec stage) : IConcurrencyShape
{
    private readonly LinearRamp _ramp = new(Math.Min(stage.StartUsers, stage.MaxUsers), stage.MaxUsers, stage.RampUpSeconds);

    public int UsersAt(TimeSpan elapsed) => (int)Math.Floor(_ramp.At(elapsed) + 1e-9);
}
