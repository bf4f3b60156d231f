using PerfTest.Executor.Load;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs beside a stage's runner: at the end of every period of its <see cref="IKpiJudge"/> it reads
/// the recorder's counters and, when a KPI breaks, drains the stage (requests in flight finish).
/// </summary>
public static class KpiWatch
{
    /// <summary>The judge of a stage, or null when it has no KPI to watch.</summary>
    public static IKpiJudge? JudgeFor(StageContext context, ILoadShape shape)
    {
        var kpis = context.Stage.Kpis;
        if (!kpis.Any)
        {
            return null;
        }
        // A manual mode-7 stage has no steps: it is judged like mode 2.
        return shape is SteppedUsers stepped
            ? new StepLimitSearch(kpis, stepped.StepDuration, stepped.TotalOfStep)
            : new CumulativeKpiJudge(kpis);
    }

    /// <summary>Returns the broken KPI's name (after draining the stage), or null when <paramref name="stop"/> ended the watch first.</summary>
    public static async Task<string?> RunAsync(StageContext context, IKpiJudge judge, CancellationTokenSource stageDrain, CancellationToken stop)
    {
        var started = context.Clock.GetTimestamp();
        var atStart = context.Recorder.Totals;
        var previous = atStart;
        for (var period = 0; ; period++)
        {
            try
            {
                var left = judge.Period * (period + 1) - context.Clock.GetElapsedTime(started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, context.Clock, stop);
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            var now = context.Recorder.Totals;
            var broken = judge.Observe(period, now - atStart, now - previous);
            if (broken is not null)
            {
                await stageDrain.CancelAsync();
                return broken;
            }
            previous = now;
        }
    }
}
