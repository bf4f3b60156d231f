using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// pressure_mode 1 (TPS): tps_value iterations start per second (open model), ramping linearly
/// from current_tps over ramp_up seconds when given; at most issue_num VUs are busy at once.
/// </summary>
public sealed class ConstantOrRampingArrivals(StageSpec stage) : IArrivalShape
{
    private readonly LinearRamp _ramp = new(Math.Min(stage.StartTps, stage.Tps), stage.Tps, stage.RampUpSeconds);

    public double RateAt(TimeSpan elapsed) => _ramp.At(elapsed);

    /// <summary>Without issue_num the open model may use as many VUs as the rate needs (capped for safety).</summary>
    public int MaxUsers { get; } = stage.MaxUsers > 0 ? stage.MaxUsers : Math.Max(1, Math.Min(10_000, stage.Tps * 10));
}
