using Grpc.Core;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// Registration and heartbeats of standalone executors (authenticated by the shared secret interceptor). Refused, and
/// logged with the reason: another plan version (FailedPrecondition), an http:// address while Executors:Tls is
/// configured (FailedPrecondition: the secret would go to it in clear), an id alive at another address (AlreadyExists).
/// </summary>
public sealed class ControlPlaneGrpcService(ExecutorRegistry registry, ChannelTls tls, ILogger<ControlPlaneGrpcService> logger)
    : ControlPlaneService.ControlPlaneServiceBase
{
    public override Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context)
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
        if (!registry.TryRegister(request.ExecutorId, request.Address, request.ClusterId, out var taken))
        {
            logger.LogWarning("Refused executor {Id} from {Peer}: {Reason}", request.ExecutorId, context.Peer, taken);
            throw new RpcException(new Status(StatusCode.AlreadyExists, taken));
        }
        logger.LogInformation("Executor {Id} at {Address} joined private group {Cluster}", request.ExecutorId, request.Address, request.ClusterId);
        return Task.FromResult(new RegisterReply { HeartbeatSeconds = (int)registry.HeartbeatInterval.TotalSeconds, PlanVersion = PlanContract.Version });
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(new HeartbeatReply { Known = registry.Heartbeat(request.ExecutorId) });
}
