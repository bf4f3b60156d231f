using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using PerfTest.Executor.Debugging;
using PerfTest.Executor.Grpc;

namespace PerfTest.Executor.Running;

/// <summary>How the control plane drives one executor: in process (embedded) or over gRPC (standalone).</summary>
public interface IExecutorClient
{
    string Id { get; }
    IAsyncEnumerable<SecondSnapshot> RunAsync(RunPlan plan, CancellationToken cancellationToken);
    Task<bool> StopAsync(long caseRunId, CancellationToken cancellationToken);

    /// <summary>Manual regulation: the whole-stage level of the case run's running stage; false when not applied.</summary>
    Task<bool> SetLevelAsync(long caseRunId, int totalLevel, CancellationToken cancellationToken);

    /// <summary>Debugs a case plan: one VU runs it once and every packet card's exchange comes back.</summary>
    Task<DebugReply> DebugAsync(DebugRequest request, CancellationToken cancellationToken);

    /// <summary>Moves the executor's place in a running case run's group; false when the case run does not run there.</summary>
    Task<bool> ReshareAsync(ReshareRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Re-attaches to a plan whose stream broke: its kept snapshots after request.after_sequence, then the live ones
    /// until the final, as <see cref="RunAsync"/> streams them.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The case run does not run on the executor (any more).</exception>
    IAsyncEnumerable<SecondSnapshot> AttachAsync(AttachRequest request, CancellationToken cancellationToken);
}

/// <summary>The embedded executor: the same engine, called directly.</summary>
public sealed class LocalExecutorClient(ExecutorEngine engine, string id = "embedded") : IExecutorClient
{
    public string Id { get; } = id;

    public IAsyncEnumerable<SecondSnapshot> RunAsync(RunPlan plan, CancellationToken cancellationToken) =>
        Pump(emit => engine.RunAsync(plan, emit, cancellationToken));

    public IAsyncEnumerable<SecondSnapshot> AttachAsync(AttachRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Checked before the first snapshot is asked for: the call throws as a gRPC client's NOT_FOUND does.
        return engine.RunningCaseRuns.Contains(request.CaseRunId)
            ? Pump(emit => engine.AttachAsync(request.CaseRunId, request.AfterSequence, emit, cancellationToken))
            : throw new KeyNotFoundException($"case run {request.CaseRunId} does not run on executor {Id}");
    }

    public Task<bool> ReshareAsync(ReshareRequest request, CancellationToken cancellationToken) => Task.FromResult(engine.Reshare(request));

    /// <summary>
    /// Yields what <paramref name="stream"/> emits. Each snapshot is a copy: the engine keeps its own for a replay, and
    /// the caller may change what it gets (the control plane clears the metric keys it stored).
    /// </summary>
    private static async IAsyncEnumerable<SecondSnapshot> Pump(Func<Func<SecondSnapshot, Task>, Task> stream)
    {
        var channel = Channel.CreateUnbounded<SecondSnapshot>();
        var run = Task.Run(async () =>
        {
            try
            {
                await stream(s => channel.Writer.WriteAsync(s.Clone(), CancellationToken.None).AsTask());
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        await foreach (var snapshot in channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return snapshot;
        }
        await run;
    }

    public Task<bool> StopAsync(long caseRunId, CancellationToken cancellationToken) => Task.FromResult(engine.Stop(caseRunId));

    public Task<bool> SetLevelAsync(long caseRunId, int totalLevel, CancellationToken cancellationToken) =>
        Task.FromResult(engine.SetLevel(caseRunId, totalLevel));

    public Task<DebugReply> DebugAsync(DebugRequest request, CancellationToken cancellationToken) =>
        CaseDebugger.RunAsync(request, cancellationToken);
}

/// <summary>A standalone executor reached over gRPC, authenticated with the shared secret.</summary>
public sealed class GrpcExecutorClient(string id, GrpcChannel channel, string sharedSecret) : IExecutorClient
{
    private readonly ExecutorService.ExecutorServiceClient _client = new(channel);
    private readonly Metadata _auth = new() { { "authorization", "Bearer " + sharedSecret } };

    public string Id { get; } = id;

    public async IAsyncEnumerable<SecondSnapshot> RunAsync(RunPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.Run(plan, _auth, cancellationToken: cancellationToken);
        await foreach (var snapshot in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return snapshot;
        }
    }

    public async Task<bool> StopAsync(long caseRunId, CancellationToken cancellationToken) =>
        (await _client.StopAsync(new StopRequest { CaseRunId = caseRunId }, _auth, cancellationToken: cancellationToken)).WasRunning;

    public async Task<bool> SetLevelAsync(long caseRunId, int totalLevel, CancellationToken cancellationToken) =>
        (await _client.SetLevelAsync(new LevelRequest { CaseRunId = caseRunId, TotalLevel = totalLevel }, _auth, cancellationToken: cancellationToken)).Applied;

    public async Task<DebugReply> DebugAsync(DebugRequest request, CancellationToken cancellationToken) =>
        await _client.DebugAsync(request, _auth, cancellationToken: cancellationToken);

    public async Task<bool> ReshareAsync(ReshareRequest request, CancellationToken cancellationToken) =>
        (await _client.ReshareAsync(request, _auth, cancellationToken: cancellationToken)).Applied;

    public async IAsyncEnumerable<SecondSnapshot> AttachAsync(AttachRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.Attach(request, _auth, cancellationToken: cancellationToken);
        await using var snapshots = call.ResponseStream.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            // NOT_FOUND as the exception callers of any client know; yield cannot sit inside this try.
            try
            {
                if (!await snapshots.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                throw new KeyNotFoundException(e.Status.Detail, e);
            }
            yield return snapshots.Current;
        }
    }
}
