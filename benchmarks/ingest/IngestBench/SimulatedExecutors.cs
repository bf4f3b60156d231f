using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.IngestBench;

/// <summary>What the simulated executors did, added up over all of them.</summary>
internal sealed class Counters
{
    public long Generated;
    public long Written;
    public long CaseRequests;
    public int Finals;
    public int Runs;
    public int Active;
}

/// <summary>
/// The ExecutorService of every simulated executor (one Kestrel port each; the port tells which one is called). Run
/// compiles the plan as a real executor does (for its metric keys), then makes <see cref="Rate"/> seconds a second
/// (0: as many as the stream takes) for <see cref="Duration"/>, realistic ones (<see cref="Samples"/>), into a queue
/// that never drops, and writes them to the stream as fast as the control plane reads them; then a final.
/// </summary>
internal sealed class SimulatedExecutors(Counters counters, double rate, TimeSpan duration) : ExecutorService.ExecutorServiceBase
{
    private readonly ConcurrentDictionary<(int Port, long CaseRun), CancellationTokenSource> _stops = new();
    // One compilation and one set of samples per case run, shared by the executors (computed 100 times at once, they
    // starved the process long enough for the control plane's HTTP/2 pings to time out).
    private readonly ConcurrentDictionary<long, Lazy<(IReadOnlyList<PerfTest.Executor.Contract.MetricKey> Keys, SecondSnapshot[] Samples)>> _plans = new();

    public double Rate { get; } = rate;
    public TimeSpan Duration { get; } = duration;

    public override async Task Run(RunPlan request, IServerStreamWriter<SecondSnapshot> responseStream, ServerCallContext context)
    {
        var port = context.GetHttpContext().Connection.LocalPort;
        await context.WriteResponseHeadersAsync([]);  // the call is answered at once, as a real executor's is
        var (keys, samples) = _plans.GetOrAdd(request.CaseRunId, _ => new(() =>
        {
            var compiled = PlanRunner.Compile(request).Script.Keys;
            return (compiled, Samples.For(compiled));
        })).Value;
        using var stop = new CancellationTokenSource(Duration);
        _stops[(port, request.CaseRunId)] = stop;
        Interlocked.Increment(ref counters.Active);  // before Runs: a sample must never see a run started and none active
        Interlocked.Increment(ref counters.Runs);
        var queue = Channel.CreateUnbounded<SecondSnapshot>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        long sequence = 0;
        SecondSnapshot Next()
        {
            var second = samples[(int)(sequence % samples.Length)].Clone();
            second.Sequence = ++sequence;
            second.UnixSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (sequence == 1)
            {
                second.MetricKeys.AddRange(keys);
            }
            Interlocked.Increment(ref counters.Generated);
            return second;
        }
        var generator = Rate > 0 ? GenerateAsync(queue.Writer, Next, stop.Token) : Task.CompletedTask;
        async Task WriteAsync(SecondSnapshot second)
        {
            await responseStream.WriteAsync(second, context.CancellationToken);
            Interlocked.Increment(ref counters.Written);
            Interlocked.Add(ref counters.CaseRequests, Samples.CaseRequests(second));
        }
        try
        {
            if (Rate > 0)
            {
                await foreach (var second in queue.Reader.ReadAllAsync(context.CancellationToken))
                {
                    await WriteAsync(second);
                }
            }
            else
            {
                while (!stop.IsCancellationRequested)
                {
                    await WriteAsync(Next());
                }
            }
            await generator;
            var final = new SecondSnapshot
            {
                Sequence = ++sequence, UnixSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Final = true,
            };
            Interlocked.Increment(ref counters.Generated);
            await WriteAsync(final);
            Interlocked.Increment(ref counters.Finals);
        }
        finally
        {
            _stops.TryRemove((port, request.CaseRunId), out _);
            Interlocked.Decrement(ref counters.Active);
        }
    }

    /// <summary><see cref="Rate"/> seconds a second, evenly spaced, until <paramref name="stop"/>; the queue then completes.</summary>
    private async Task GenerateAsync(ChannelWriter<SecondSnapshot> queue, Func<SecondSnapshot> next, CancellationToken stop)
    {
        var period = TimeSpan.FromSeconds(1 / Rate);
        var started = TimeProvider.System.GetTimestamp();
        long made = 0;
        try
        {
            using var timer = new PeriodicTimer(period < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : period);
            while (await timer.WaitForNextTickAsync(stop))
            {
                // Catch up on ticks the timer could not give (a period under 10 ms, a busy machine): the offered rate holds.
                var due = (long)(TimeProvider.System.GetElapsedTime(started).TotalSeconds * Rate);
                for (; made < due; made++)
                {
                    queue.TryWrite(next());
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            queue.TryComplete();
        }
    }

    public override Task<StopReply> Stop(StopRequest request, ServerCallContext context)
    {
        var port = context.GetHttpContext().Connection.LocalPort;
        var running = _stops.TryGetValue((port, request.CaseRunId), out var stop);
        try
        {
            stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended just now.
        }
        return Task.FromResult(new StopReply { WasRunning = running });
    }
}
