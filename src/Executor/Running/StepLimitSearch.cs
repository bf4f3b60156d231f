using PerfTest.Executor.Plan;
using PerfTest.Metrics;

namespace PerfTest.Executor.Running;

/// <summary>
/// Judges a stage's KPIs once per period (a second, a step) from the recorder's counters. Pure:
/// the caller reads the counters and ends the stage when a KPI breaks.
/// </summary>
public interface IKpiJudge
{
    /// <summary>How often the judge looks.</summary>
    TimeSpan Period { get; }

    /// <summary>
    /// Period <paramref name="period"/> (0-based) just ended; <paramref name="sinceStart"/> counts the
    /// stage so far, <paramref name="window"/> this period alone. Returns the broken KPI's name, or null.
    /// </summary>
    string? Observe(int period, RecorderTotals sinceStart, RecorderTotals window);
}

/// <summary>pressure_mode 2: every second, the KPIs over the whole stage so far.</summary>
public sealed class CumulativeKpiJudge(PeakLoadKpis kpis) : IKpiJudge
{
    public TimeSpan Period => TimeSpan.FromSeconds(1);

    public string? Observe(int period, RecorderTotals sinceStart, RecorderTotals window) =>
        kpis.Evaluate(sinceStart.Requests, sinceStart.Successes, sinceStart.AverageMs);
}

/// <summary>A step that held its KPIs: its whole-stage VUs and its average response time.</summary>
public sealed record StepResult(int Step, int TotalUsers, double AverageResponseMs);

/// <summary>
/// pressure_mode 7: at the end of every step, the KPIs over that step's requests alone. The first
/// step that breaks one ends the stage; the last step that held is the estimated concurrency limit
/// (the true limit lies between its level and the next step's). A step without any finished
/// request proves nothing either way: it neither breaks nor holds.
/// </summary>
public sealed class StepLimitSearch(PeakLoadKpis kpis, TimeSpan stepDuration, Func<int, int> totalUsersOfStep) : IKpiJudge
{
    public TimeSpan Period => stepDuration;

    public StepResult? LastHeld { get; private set; }

    public string? Observe(int period, RecorderTotals sinceStart, RecorderTotals window)
    {
        if (window.Requests <= 0)
        {
            return null;
        }
        var broken = kpis.Evaluate(window.Requests, window.Successes, window.AverageMs);
        if (broken is null)
        {
            LastHeld = new StepResult(period, totalUsersOfStep(period), window.AverageMs);
        }
        return broken;
    }
}
