using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Executors;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Every second (and at once when an executor registers): renews the leases of the runs this control plane owns and
/// carries out the stops other replicas asked for them, takes over the active runs nobody holds (its own from before a
/// restart at once, another replica's once its lease expired), and brings running groups in line with their live
/// executors (<see cref="RunCoordinator.SyncGroupsAsync"/>). A database that cannot be reached is logged and tried
/// again; the runs go on meanwhile.
/// </summary>
public sealed class RunLeaseService(RunCoordinator coordinator, RunLeaseStore leases, ExecutorRegistry registry, RunsOptions options,
    TimeProvider clock, ILogger<RunLeaseService> logger) : BackgroundService, IHostedLifecycleService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _leaving = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.Registered += Wake;
        try
        {
            using var loop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _leaving.Token);
        stoppingToken = loop.Token;
        while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await TickAsync();
                }
                catch (Exception e) when (e is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Run leases could not be renewed or checked: {Error}", e.Message);
                }
                try
                {
                    await _wake.WaitAsync(Period, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            registry.Registered -= Wake;
        }
    }

    /// <summary>One round: renew and stop, take over, sync groups.</summary>
    public async Task TickAsync()
    {
        var now = ApiTime.NowMicros(clock);
        var until = now + options.LeaseSeconds * 1_000_000L;
        var owned = coordinator.Owned.Where(r => r.TaskRunId != 0).ToList();
        var stops = await leases.RenewAsync(options.Owner, owned.Select(r => r.TaskRunId).ToList(), until);
        foreach (var run in owned.Where(r => stops.Contains(r.TaskRunId) && !r.StopRequested))
        {
            logger.LogInformation("Stopping task run {TaskRun}: another replica was asked to", run.TaskRunId);
            await coordinator.StopOwnedAsync(run);
        }
        foreach (var orphan in await leases.OrphanedAsync(options.Owner, owned.Select(r => r.TaskRunId).ToList(), now))
        {
            if (await leases.ClaimAsync(orphan.Id, options.Owner, now, until))
            {
                await coordinator.TakeOverAsync(orphan);
            }
        }
        await coordinator.SyncGroupsAsync();
    }

    /// <summary>
    /// As shutdown begins, before the server stops (its executors' heartbeats then fail, and a loop still running would
    /// count them lost): the loop ends and the runs owned here are left running for another control plane to take over.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _leaving.CancelAsync();
        try
        {
            await coordinator.DetachAllAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Leaving the runs to another control plane failed: {Error}; they are taken over once their leases expire", e.Message);
        }
    }

    private void Wake(long clusterId)
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _wake.Dispose();
        _leaving.Dispose();
        base.Dispose();
    }
}
