using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// Registers this executor with the control plane's private group and keeps it alive with heartbeats; over TLS when
/// Executor:Tls is configured (<see cref="ChannelTls"/>). A refusal (wrong secret, id taken, other plan version, a
/// certificate not trusted) is logged with its reason, and registration is tried again every interval; <see cref="RegistrationStatus"/> says
/// whether it is registered now (the readiness probe).
/// </summary>
/// <remarks>
/// Registration and every heartbeat list the case runs whose plans run here (orphaned ones too), so a restarted control
/// plane finds and re-attaches them; the case runs a heartbeat's reply lists as over are stopped at once.
/// </remarks>
public sealed class RegistrationService(ExecutorOptions options, ChannelTls tls, RegistrationStatus status, IServer server,
    IHostApplicationLifetime lifetime, ExecutorEngine engine, ILogger<RegistrationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RegisterAndHeartbeatAsync(stoppingToken);
        }
        finally
        {
            status.Set(false);
        }
    }

    private async Task RegisterAndHeartbeatAsync(CancellationToken stoppingToken)
    {
        await WaitForStart(stoppingToken);
        // Joins its group once it can run a plan at once: a plan sent during the warm-up would start late, and its
        // share of the stage would end late too, out of step with the other executors'.
        await engine.Ready.WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var channel = tls.CreateChannel(options.ControlPlaneUrl, logger);
        var client = new ControlPlaneService.ControlPlaneServiceClient(channel);
        var auth = new Metadata { { "authorization", "Bearer " + options.SharedSecret } };
        var id = options.Id.Length > 0 ? options.Id : "executor-" + Guid.NewGuid().ToString("N")[..8];
        var address = options.AdvertisedUrl.Length > 0
            ? options.AdvertisedUrl
            : server.Features.Get<IServerAddressesFeature>()!.Addresses.First(a => !options.IsHealthAddress(a));
        var interval = TimeSpan.FromSeconds(2);
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    var request = new RegisterRequest
                    {
                        ExecutorId = id, Address = address, ClusterId = options.ClusterId, PlanVersion = PlanContract.Version,
                    };
                    request.RunningCaseRuns.AddRange(engine.RunningCaseRuns);
                    var reply = await client.RegisterAsync(request, auth, cancellationToken: stoppingToken);
                    interval = TimeSpan.FromSeconds(Math.Max(1, reply.HeartbeatSeconds));
                    if (reply.PlanVersion != PlanContract.Version)
                    {
                        // A control plane too old to check versions itself: refuse it from this side.
                        logger.LogError("Not joining the control plane at {Url}: {Reason}", options.ControlPlaneUrl,
                            PlanContract.Mismatch(reply.PlanVersion, "the control plane", "this executor"));
                        await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                        continue;
                    }
                    registered = true;
                    logger.LogInformation("Registered as {Id} ({Address}) in private group {Cluster}", id, address, options.ClusterId);
                }
                else if (!(registered = await HeartbeatAsync(client, id, auth, stoppingToken)))
                {
                    continue;  // a control plane that forgot it (restarted) attaches its running plans once it registers: now
                }
            }
            catch (RpcException e) when (Refused(e.StatusCode) && !stoppingToken.IsCancellationRequested)
            {
                registered = false;
                logger.LogError("The control plane at {Url} refused this executor: {Reason}", options.ControlPlaneUrl, e.Status.Detail);
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                registered = false;
                logger.LogWarning("The call to the control plane at {Url} failed: {Status}", options.ControlPlaneUrl, e.Status.Detail);
            }
            status.Set(registered);
            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One heartbeat: reports the running case runs, stops those the control plane says are over; false when
    /// the control plane forgot this executor (it registers again at the next interval).</summary>
    private async Task<bool> HeartbeatAsync(ControlPlaneService.ControlPlaneServiceClient client, string id, Metadata auth,
        CancellationToken stoppingToken)
    {
        var request = new HeartbeatRequest { ExecutorId = id };
        request.RunningCaseRuns.AddRange(engine.RunningCaseRuns);
        var reply = await client.HeartbeatAsync(request, auth, cancellationToken: stoppingToken);
        foreach (var caseRun in reply.StopCaseRuns)
        {
            if (engine.Stop(caseRun))
            {
                logger.LogInformation("Stopping case run {CaseRun}: the control plane says it is over", caseRun);
            }
        }
        if (!reply.Known)
        {
            logger.LogWarning("The control plane at {Url} forgot this executor; registering again", options.ControlPlaneUrl);
        }
        return reply.Known;
    }

    /// <summary>The control plane answered and said no (another plan version, a wrong secret, this id alive elsewhere...).</summary>
    private static bool Refused(StatusCode code) => code is StatusCode.FailedPrecondition or StatusCode.Unauthenticated
        or StatusCode.PermissionDenied or StatusCode.AlreadyExists or StatusCode.InvalidArgument;

    private Task WaitForStart(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled());
        return started.Task;
    }
}
