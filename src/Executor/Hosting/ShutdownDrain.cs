using Grpc.Core;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// Drains this executor when its host stops (SIGTERM): tells the control plane it leaves (so its share goes to the
/// others of its group first), then stops every plan (requests in flight finish and are counted) and holds the
/// shutdown until each plan's stream carried its final snapshot. Runs in <see cref="StoppingAsync"/>, before the
/// server stops, so the streams are still open; the host's ShutdownTimeout (<see cref="ShutdownTimeout"/>) bounds it.
/// </summary>
public sealed class ShutdownDrain(ExecutorOptions options, ChannelTls tls, ExecutorEngine engine, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService
{
    /// <summary>
    /// The host's shutdown timeout set by the executor: the drain (Leave, StopGrace, the finals) fits well in it, and
    /// Kubernetes' terminationGracePeriodSeconds (30 by default) must exceed it.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the Leave call may take; the drain goes on without it.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await LeaveAsync(cancellationToken);
        var plans = engine.RunningCaseRuns;
        if (plans.Count > 0)
        {
            logger.LogInformation("Shutting down: draining case runs {CaseRuns}", string.Join(", ", plans));
        }
        try
        {
            await engine.DrainAllAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutting down: the plans did not deliver their finals within the shutdown timeout");
        }
    }

    private async Task LeaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var channel = tls.CreateChannel(options.ControlPlaneUrl, logger);
            var client = new ControlPlaneService.ControlPlaneServiceClient(channel);
            await client.LeaveAsync(new LeaveRequest { ExecutorId = options.Id },
                new Metadata { { "authorization", "Bearer " + options.SharedSecret } },
                deadline: DateTime.UtcNow + LeaveTimeout, cancellationToken: cancellationToken);
            logger.LogInformation("Left the private group {Cluster} as {Id}", options.ClusterId, options.Id);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning("Could not tell the control plane at {Url} that this executor leaves: {Reason}; draining anyway",
                options.ControlPlaneUrl, e.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
