using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Load;

/// <summary>
/// When the surges of a surge stage happen. The stage's <c>time</c> seconds are cut into
/// <c>loop_count</c> periods on whole seconds: period k covers [floor(k*time/loop_count),
/// floor((k+1)*time/loop_count)), so periods differ by at most one second. Each surge lasts
/// <c>max_duration</c> seconds and sits in the middle of its period: it starts
/// floor((period length - max_duration) / 2) seconds after the period starts. Whole-second
/// boundaries make every reported second all-surge or all-base. A count-mode stage that outlasts
/// <c>time</c> repeats the pattern.
/// </summary>
public readonly record struct SurgeSchedule(int Seconds, int Loops, int PeakSeconds)
{
    public bool InSurge(TimeSpan elapsed)
    {
        var t = elapsed.TotalSeconds % Seconds;
        var k = (int)Math.Clamp(Math.Floor(t * Loops / Seconds), 0, Loops - 1);
        // The estimate can be one period off where floor() moved a boundary; settle it exactly.
        while (k + 1 < Loops && PeriodStart(k + 1) <= t)
        {
            k++;
        }
        while (k > 0 && PeriodStart(k) > t)
        {
            k--;
        }
        var start = PeriodStart(k) + (PeriodStart(k + 1) - PeriodStart(k) - PeakSeconds) / 2;
        return t >= start && t < start + PeakSeconds;
    }

    /// <summary>The shortest period: a surge must fit in it.</summary>
    public static int ShortestPeriod(int seconds, int loops) => seconds / loops;

    private long PeriodStart(int k) => (long)k * Seconds / Loops;
}

/// <summary>pressure_mode 3 (surge concurrency): minimum VUs, maximum VUs during each surge of <see cref="SurgeSchedule"/>.</summary>
public sealed class SurgeUsers(StageSpec stage) : ConcurrencyCurve(stage)
{
    private readonly SurgeSchedule _schedule = new(stage.DurationSeconds, stage.LoopCount, stage.MaxDurationSeconds);

    public override int TotalAt(TimeSpan elapsed) => _schedule.InSurge(elapsed) ? Stage.Maximum : Stage.Minimum;
}

/// <summary>pressure_mode 4 (surge TPS): minimum iterations per second, maximum during each surge of <see cref="SurgeSchedule"/>.</summary>
public sealed class SurgeArrivals(StageSpec stage) : ArrivalCurve(stage, stage.Maximum)
{
    private readonly SurgeSchedule _schedule = new(stage.DurationSeconds, stage.LoopCount, stage.MaxDurationSeconds);

    public override double TotalRateAt(TimeSpan elapsed) => _schedule.InSurge(elapsed) ? Stage.Maximum : Stage.Minimum;
}
