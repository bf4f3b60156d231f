using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// The level of a manually regulated stage (voltage_regulating_mode 1), for the whole stage: VUs in
/// concurrency modes, iterations per second in TPS modes. Whoever regulates (an HTTP or gRPC
/// call) sets it from any thread; the runner reads it on its next tick. Every executor of the
/// stage receives the same total and runs its share of it.
/// </summary>
public sealed class ManualLevel(int initialTotal)
{
    private int _total = initialTotal >= 0 ? initialTotal : throw new ArgumentOutOfRangeException(nameof(initialTotal));

    public int Total => Volatile.Read(ref _total);

    public void Set(int totalLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLevel);
        Volatile.Write(ref _total, totalLevel);
    }

    /// <summary>
    /// The level a manual stage holds until someone sets another: issue_num (concurrency modes) or
    /// tps_value (TPS modes), ramps and waves ignored; minimum when that is 0 (surge and flapping
    /// stages often give only minimum and maximum).
    /// </summary>
    public static ManualLevel Initial(StageSpec stage, bool tps)
    {
        var level = tps ? stage.Tps : stage.IssueNum;
        return new ManualLevel(level > 0 ? level : stage.Minimum);
    }
}

/// <summary>A shape whose level is set by hand.</summary>
public interface IManualShape
{
    ManualLevel Level { get; }
}

/// <summary>Manual regulation of a concurrency mode: the VUs are <see cref="ManualLevel.Total"/>, split over executors.</summary>
public sealed class ManualUsers(StageSpec stage, ManualLevel level) : ConcurrencyCurve(stage), IManualShape
{
    public ManualLevel Level { get; } = level;

    public override int TotalAt(TimeSpan elapsed) => Level.Total;
}

/// <summary>Manual regulation of a TPS mode: the rate is <see cref="ManualLevel.Total"/>, split over executors.</summary>
public sealed class ManualArrivals(StageSpec stage, ManualLevel level)
    // The level may rise later: the VU cap comes from issue_num or the executor-wide cap, not from today's rate.
    : ArrivalCurve(stage, ArrivalCurve.UserCap * (double)stage.ExecutorCount), IManualShape
{
    public ManualLevel Level { get; } = level;

    public override double TotalRateAt(TimeSpan elapsed) => Level.Total;
}
