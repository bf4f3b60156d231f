using Grpc.Core;
using PerfTest.Executor.Debugging;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// The executor's gRPC face: run a plan and stream its seconds back; stop it; set a manual stage's level; debug a case;
/// move this executor's place in a group (reshare); re-attach to a plan whose stream broke.
/// </summary>
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

    public override Task<ReshareReply> Reshare(ReshareRequest request, ServerCallContext context)
    {
        var invalid = request.ExecutorCount < 1 ? "executor_count must be at least 1"
            : request.ExecutorIndex < 0 ? "executor_index must not be negative"
            : request.ExecutorIndex >= request.ExecutorCount ? $"executor_index {request.ExecutorIndex} must be below executor_count {request.ExecutorCount}"
            : request is { HasStageIterations: true, StageIterations: < 0 } ? "stage_iterations must not be negative"
            : null;
        return invalid is not null
            ? throw new RpcException(new Status(StatusCode.InvalidArgument, invalid))
            : Task.FromResult(new ReshareReply { Applied = engine.Reshare(request) });
    }

    public override async Task Attach(AttachRequest request, IServerStreamWriter<SecondSnapshot> responseStream, ServerCallContext context)
    {
        try
        {
            await engine.AttachAsync(request.CaseRunId, request.AfterSequence, s => responseStream.WriteAsync(s), context.CancellationToken);
        }
        catch (KeyNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
    }

    public override Task<DebugReply> Debug(DebugRequest request, ServerCallContext context) =>
        CaseDebugger.RunAsync(request, context.CancellationToken);
}
