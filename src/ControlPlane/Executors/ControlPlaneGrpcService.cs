using Grpc.Core;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// Registration, heartbeats and leaves of standalone executors (authenticated by the shared secret interceptor).
/// Refused, and logged with the reason: another plan version (FailedPrecondition), an http:// address while
/// Executors:Tls is configured (FailedPrecondition: the secret would go to it in clear), an id alive at another
/// address (AlreadyExists). A heartbeat's reply names the case runs the executor must stop (over, or given to others).
/// </summary>
public sealed class ControlPlaneGrpcService(ExecutorRegistry registry, RunCoordinator coordinator, GroupChangeStore changes, ChannelTls tls,
    ILogger<ControlPlaneGrpcService> logger) : ControlPlaneService.ControlPlaneServiceBase
{
    public override async Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context)
    {
        if (!Uri.TryCreate(request.Address, UriKind.Absolute, out _) || request.ExecutorId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "executor_id and an absolute address are required"));
        }
        if (request.PlanVersion != PlanContract.Version)
        {
            var reason = PlanContract.Mismatch(request.PlanVersion, $"executor {request.ExecutorId}", "this control plane");
            logger.LogWarning("Refused executor {Id} at {Address}: {Reason}", request.ExecutorId, request.Address, reason);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, reason));
        }
        if (tls.CheckCallUrl($"the address of executor {request.ExecutorId}", request.Address) is { } clear)
        {
            logger.LogWarning("Refused executor {Id} from {Peer}: {Reason}", request.ExecutorId, context.Peer, clear);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, clear));
        }
        if (await registry.TryRegisterAsync(request.ExecutorId, request.Address, request.ClusterId, request.RunningCaseRuns) is { } taken)
        {
            logger.LogWarning("Refused executor {Id} from {Peer}: {Reason}", request.ExecutorId, context.Peer, taken);
            throw new RpcException(new Status(StatusCode.AlreadyExists, taken));
        }
        logger.LogInformation("Executor {Id} at {Address} joined private group {Cluster}", request.ExecutorId, request.Address, request.ClusterId);
        return new RegisterReply { HeartbeatSeconds = (int)registry.HeartbeatInterval.TotalSeconds, PlanVersion = PlanContract.Version };
    }

    public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var reply = new HeartbeatReply { Known = await registry.HeartbeatAsync(request.ExecutorId, request.RunningCaseRuns) };
        reply.StopCaseRuns.AddRange(await changes.OverForAsync(request.ExecutorId, request.RunningCaseRuns));
        return reply;
    }

    /// <summary>The executor drains on shutdown: the groups run here hand its share over (those of other replicas at their next look).</summary>
    public override async Task<LeaveReply> Leave(LeaveRequest request, ServerCallContext context)
    {
        logger.LogInformation("Executor {Id} leaves its group (shutting down)", request.ExecutorId);
        await registry.LeaveAsync(request.ExecutorId);
        // The others take its share before it is told to go on: it stops its plans once this returns.
        await coordinator.ExecutorLeftAsync(request.ExecutorId);
        return new LeaveReply();
    }
}
