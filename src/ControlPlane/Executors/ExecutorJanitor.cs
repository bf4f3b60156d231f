namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// Every heartbeat interval: closes the channels of executors gone for a while and forgets long-gone registrations
/// (<see cref="ExecutorRegistry.DropGoneAsync"/>). A database that cannot be reached is logged and tried again.
/// </summary>
public sealed class ExecutorJanitor(ExecutorRegistry registry, TimeProvider clock, ILogger<ExecutorJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, registry.HeartbeatInterval.TotalSeconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var id in await registry.DropGoneAsync())
                    {
                        logger.LogInformation("Closed the channel of executor {Id}: gone for more than {Seconds} s", id, registry.DropAfter.TotalSeconds);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Gone executors could not be dropped: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
