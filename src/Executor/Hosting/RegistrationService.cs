using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.Executor.Hosting;

/// <summary>Registers this executor with the control plane's private group and keeps it alive with heartbeats.</summary>
public sealed class RegistrationService(ExecutorOptions options, RegistrationStatus status, IServer server,
    IHostApplicationLifetime lifetime, ILogger<RegistrationService> logger) : BackgroundService
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
        using var channel = GrpcChannel.ForAddress(options.ControlPlaneUrl);
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
                    var reply = await client.RegisterAsync(new RegisterRequest
                    {
                        ExecutorId = id, Address = address, ClusterId = options.ClusterId, PlanVersion = PlanContract.Version,
                    }, auth, cancellationToken: stoppingToken);
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
                else
                {
                    registered = (await client.HeartbeatAsync(new HeartbeatRequest { ExecutorId = id }, auth, cancellationToken: stoppingToken)).Known;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && !stoppingToken.IsCancellationRequested)
            {
                registered = false;
                logger.LogError("The control plane at {Url} refused this executor: {Reason}", options.ControlPlaneUrl, e.Status.Detail);
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                registered = false;
                logger.LogWarning("Control plane at {Url} did not answer: {Status}", options.ControlPlaneUrl, e.Status.Detail);
            }
            status.Set(registered);
            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private Task WaitForStart(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled());
        return started.Task;
    }
}
