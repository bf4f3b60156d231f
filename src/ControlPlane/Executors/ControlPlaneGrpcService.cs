using Grpc.Core;
using PerfTest.Executor.Grpc;

namespace PerfTest.ControlPlane.Executors;

/// <summary>Registration and heartbeats of standalone executors (authenticated by the shared secret interceptor).</summary>
public sealed class ControlPlaneGrpcService(ExecutorRegistry registry, ILogger<ControlPlaneGrpcService> logger)
    : ControlPlaneService.ControlPlaneServiceBase
{
    public override Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context)
    {
        if (!Uri.TryCreate(request.Address, UriKind.Absolute, out _) || request.ExecutorId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "executor_id and an absolute address are required"));
        }
        registry.Register(request.ExecutorId, request.Address, request.ClusterId);
        logger.LogInformation("Executor {Id} at {Address} joined private group {Cluster}", request.ExecutorId, request.Address, request.ClusterId);
        return Task.FromResult(new RegisterReply { HeartbeatSeconds = (int)registry.HeartbeatInterval.TotalSeconds });
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(new HeartbeatReply { Known = registry.Heartbeat(request.ExecutorId) });
}
