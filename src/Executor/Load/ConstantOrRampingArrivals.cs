using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// pressure_mode 1 (TPS): tps_value iterations start per second (open model), ramping linearly
/// from current_tps over ramp_up seconds when given; at most issue_num VUs are busy at once.
/// </summary>
public sealed class ConstantOrRampingArrivals(StageSpec stage) : ArrivalCurve(stage, stage.Tps)
{
    private readonly LinearRamp _ramp = new(Math.Min(stage.StartTps, stage.Tps), stage.Tps, stage.RampUpSeconds);

    public override double TotalRateAt(TimeSpan elapsed) => _ramp.At(elapsed);
}
