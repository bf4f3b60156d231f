using Grpc.Core;
using PerfTest.Executor.Debugging;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.Executor.Hosting;

/// <summary>The executor's gRPC face: run a plan and stream its seconds back; stop it; set a manual stage's level; debug a case.</summary>
public sealed class ExecutorGrpcService(ExecutorEngine engine) : ExecutorService.ExecutorServiceBase
{
    public override Task Run(RunPlan request, IServerStreamWriter<SecondSnapshot> responseStream, ServerCallContext context) =>
        engine.RunAsync(request, s => responseStream.WriteAsync(s), context.CancellationToken);

    public override Task<StopReply> Stop(StopRequest request, ServerCallContext context) =>
        Task.FromResult(new StopReply { WasRunning = engine.Stop(request.CaseRunId) });

    public override Task<LevelReply> SetLevel(LevelRequest request, ServerCallContext context) =>
        request.TotalLevel < 0
            ? throw new RpcException(new Status(StatusCode.InvalidArgument, "total_level must not be negative"))
            : Task.FromResult(new LevelReply { Applied = engine.SetLevel(request.CaseRunId, request.TotalLevel) });

    public override Task<DebugReply> Debug(DebugRequest request, ServerCallContext context) =>
        CaseDebugger.RunAsync(request, context.CancellationToken);
}
