using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// A triangle wave: each period climbs linearly from <c>Min</c> (at its start) to <c>Max</c> (at its
/// middle) and falls back to <c>Min</c> (at its end). A triangle rather than a square wave: the
/// target sees every level between the two, and a flapping stage differs from a surge stage.
/// The wave repeats past its stage's <c>time</c> (a count-mode stage may outlast it).
/// </summary>
public readonly record struct TriangleWave(double Min, double Max, double PeriodSeconds)
{
    public double At(TimeSpan elapsed)
    {
        var phase = elapsed.TotalSeconds % PeriodSeconds / PeriodSeconds;
        return Min + (Max - Min) * (1 - Math.Abs(2 * phase - 1));
    }

    /// <summary>loop_count full periods over the stage's time.</summary>
    public static TriangleWave Of(StageSpec stage) =>
        new(stage.Minimum, stage.Maximum, (double)stage.DurationSeconds / stage.LoopCount);
}

/// <summary>pressure_mode 5 (flapping concurrency): VUs follow <see cref="TriangleWave"/>, rounded down.</summary>
public sealed class FlappingUsers(StageSpec stage) : ConcurrencyCurve(stage)
{
    private readonly TriangleWave _wave = TriangleWave.Of(stage);

    public override int TotalAt(TimeSpan elapsed) => WholeUsers(_wave.At(elapsed));
}

/// <summary>pressure_mode 6 (flapping TPS): iterations per second follow <see cref="TriangleWave"/>.</summary>
public sealed class FlappingArrivals(StageSpec stage) : ArrivalCurve(stage, stage.Maximum)
{
    private readonly TriangleWave _wave = TriangleWave.Of(stage);

    public override double TotalRateAt(TimeSpan elapsed) => _wave.At(elapsed);
}
