namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>
/// Every <see cref="Interval"/>: folds what executors sent since into the rollups of their case runs, so a report read
/// during or after a run folds at most the last interval's seconds itself. A database that cannot be reached is
/// logged and tried again; the seconds wait in run_seconds meanwhile, nothing is lost.
/// </summary>
public sealed class RollupService(RollupStore store, RunRoller roller, TimeProvider clock, ILogger<RollupService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var caseRunId in await store.CaseRunsToRollAsync(stoppingToken))
                    {
                        await roller.RollAsync(caseRunId, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Seconds could not be rolled up for the reports (tried again in {Seconds} s): {Error}", Interval.TotalSeconds, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
