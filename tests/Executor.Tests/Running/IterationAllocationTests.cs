using System.Text.Json.Nodes;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;
using PerfTest.Protocols.Tests.WebSocket;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Executor.Tests.Running;

/// <summary>Alone: the tests read the process-wide allocation counter.</summary>
[CollectionDefinition(nameof(SerialExecutorAllocationTests), DisableParallelization = true)]
public sealed class SerialExecutorAllocationTests;

/// <summary>
/// What the executor's own machinery allocates around the cards (runner, StageContext, VirtualUser, think time),
/// process-wide (GC.GetTotalAllocatedBytes), as tests/Protocols.Tests/AllocationMeter.cs measures the clients. A
/// per-iteration allocation shows in every round (at least 24 B, the smallest object, per iteration); the runtime's
/// occasional own allocations show in some rounds only. Hence: the best round under 1 B per iteration (or per wait,
/// or per VU and tick), and the median round under 8 B. No timing threshold.
/// </summary>
[Collection(nameof(SerialExecutorAllocationTests))]
public sealed class IterationAllocationTests(ITestOutputHelper output)
{
    private const int Rounds = 10;

    /// <summary>
    /// Iterations of [WebSocket card + think time 0] by 4 VUs under the real ClosedModelRunner, against an echo server
    /// that allocates nothing: nothing per iteration. (Before: 24 B per iteration, the closure TemplatedMessage.Render
    /// allocated on entry even for a message without references.)
    /// </summary>
    [Fact]
    public async Task WebSocket_iterations_of_a_few_vus_allocate_less_than_one_byte_each()
    {
        const int perRound = 2_000;
        using var server = new RawWebSocketServer();
        var (recorder, drain, runner) = StartStage(Script(WebSocketCard(server.Url), ThinkCard(0)), users: 4);
        long[] rounds;
        try
        {
            WaitForRequests(recorder, 3_000);  // connect, fill the pools, let tiered JIT settle
            rounds = Measure(() => WaitForRequests(recorder, perRound), () => recorder.Totals.Requests);
        }
        finally
        {
            await drain.CancelAsync();
            await runner;
        }

        output.WriteLine($"bytes per iteration, by round: {string.Join(", ", rounds.Select(r => (r / 1000.0).ToString("F2")))}");
        AssertUnder(rounds, best: 1, median: 8);
        Assert.Equal(4, server.Connections);
    }

    /// <summary>
    /// The runner's 100 ms tick over 200 VUs that think (after one message each): nothing per VU and tick. (Before: 32 B per VU and tick, the
    /// closure of the slot's Task.Run lambda, allocated for every running slot at every tick.) The measure is bytes per
    /// VU and 100 ms, so a slower clock only makes it smaller.
    /// </summary>
    [Fact]
    public async Task The_runner_tick_allocates_nothing_per_running_vu()
    {
        const int users = 200;
        using var server = new RawWebSocketServer();
        var (recorder, drain, runner) = StartStage(Script(WebSocketCard(server.Url), ThinkCard(600_000)), users);
        long[] rounds;
        try
        {
            WaitForRequests(recorder, users);  // all VUs connected, sent their message and think
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            // Per round: 500 ms, 5 ticks; the units are VU-ticks.
            rounds = Measure(() => Thread.Sleep(500), () => (long)(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds / 100 * users));
        }
        finally
        {
            await drain.CancelAsync();
            await runner;
        }

        output.WriteLine($"bytes per VU and tick, by round: {string.Join(", ", rounds.Select(r => (r / 1000.0).ToString("F3")))}");
        // The tick's own Task.Delay and gauge (about 350 B) make 1.8 B per VU here; a closure per VU would add 32.
        AssertUnder(rounds, best: 8, median: 16);
        Assert.Equal(users, recorder.Totals.Requests);
    }

    /// <summary>A VU's think time, waited again and again (1 ms, with a cancellable token): nothing of its own per wait.
    /// (Before: Task.Delay's promise, timer and token registration, and the card's async state machine box.)</summary>
    [Fact]
    public async Task Think_time_allocates_nothing_of_its_own_per_wait()
    {
        const int perRound = 200;
        var recorder = new RunRecorder(1);
        using var abort = new CancellationTokenSource();
        await using var vu = new VirtualUser(recorder, 0, abort.Token);
        var card = new ThinkTimeCard(TimeSpan.FromMilliseconds(1));
        var rounds = await Task.Run(async () =>
        {
            for (var i = 0; i < perRound; i++)
            {
                await card.ExecuteAsync(vu, vu.Abort);
            }
            var bytes = new long[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < perRound; i++)
                {
                    await card.ExecuteAsync(vu, vu.Abort);
                }
                bytes[round] = (GC.GetTotalAllocatedBytes(precise: true) - before) * 1000 / perRound;
            }
            return bytes;
        });

        output.WriteLine($"bytes per wait, by round: {string.Join(", ", rounds.Select(r => (r / 1000.0).ToString("F2")))}");
        // The runtime's own cost of firing a timer, whoever owns it, averages about 7 B per fire here (the same with
        // CancellationToken.None); Task.Delay's objects alone would add more than 200.
        AssertUnder(rounds, best: 24, median: 48);
    }

    [Fact]
    public async Task A_think_time_ends_at_once_when_cancelled_and_the_next_one_runs_to_its_end()
    {
        var recorder = new RunRecorder(1);
        using var abort = new CancellationTokenSource();
        await using var vu = new VirtualUser(recorder, 0, abort.Token);

        var waiting = vu.ThinkAsync(TimeSpan.FromMinutes(10), abort.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await abort.CancelAsync();
        // A hang guard, not a timing assertion: the wait must end now, not in 10 minutes.
        var ended = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(waiting, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        // A cancelled token ends a new wait at once too; another token's wait runs to its end on a fresh timer.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => vu.ThinkAsync(TimeSpan.FromMinutes(10), abort.Token).AsTask());
        using var other = new CancellationTokenSource();
        await vu.ThinkAsync(TimeSpan.FromMilliseconds(50), other.Token);  // completes, without an exception
        await vu.ThinkAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None);
        Assert.False(other.IsCancellationRequested);
    }

    /// <summary>Rounds of the process's allocated bytes, in thousandths of a byte per unit (iteration, wait, VU-tick).</summary>
    private static long[] Measure(Action round, Func<long> units)
    {
        var rounds = new long[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            var (bytes0, units0) = (GC.GetTotalAllocatedBytes(precise: true), units());
            round();
            var (bytes1, units1) = (GC.GetTotalAllocatedBytes(precise: true), units());
            rounds[r] = (bytes1 - bytes0) * 1000 / Math.Max(1, units1 - units0);
        }
        return rounds;
    }

    private static void AssertUnder(long[] rounds, double best, double median)
    {
        var sorted = rounds.Order().ToArray();
        Assert.True(sorted[0] < best * 1000, $"best round: {sorted[0] / 1000.0} B per unit");
        Assert.True(sorted[Rounds / 2] < median * 1000, $"median round: {sorted[Rounds / 2] / 1000.0} B per unit");
    }

    /// <summary>Blocks (Thread.Sleep polling, which allocates nothing) until <paramref name="count"/> more requests were recorded.</summary>
    private static void WaitForRequests(RunRecorder recorder, long count)
    {
        var target = recorder.Totals.Requests + count;
        var deadline = DateTime.UtcNow.AddSeconds(60);  // hang guard
        while (recorder.Totals.Requests < target)
        {
            Assert.True(DateTime.UtcNow < deadline, "the VUs stopped sending");
            Thread.Sleep(1);
        }
    }

    private static (RunRecorder Recorder, CancellationTokenSource Drain, Task Runner) StartStage(JsonObject doc, int users)
    {
        var script = TestPlans.Compile(doc);
        var recorder = new RunRecorder(script.KeyCount, script.RequestCount);
        // One source for both: a stop here ends the think times at once too (as an abort does).
        var drain = new CancellationTokenSource();
        var stage = new StageSpec { IssueNum = users, DurationSeconds = 3600 };
        var context = new StageContext(stage, script, recorder, TimeProvider.System, drain.Token, drain.Token);
        var runner = LoadShapes.For(stage, 0).RunAsync(context);  // mode 0: ClosedModelRunner
        return (recorder, drain, runner);
    }

    private static JsonObject Script(params string[] cards) =>
        (JsonObject)JsonNode.Parse($$"""{ "contents": [ { "content": [ {{string.Join(",", cards)}} ] } ] }""")!;

    private static string WebSocketCard(Uri url) => $$"""
        { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "{{url}}", "message_type": "text",
          "bodys": ["{\"op\":\"ping\"}"], "check_end_type": 0, "connect_timeout": 10000, "return_timeout": 10000, "headers": [] } }
        """;

    private static string ThinkCard(int ms) => $$"""{ "content_type": 1, "content": { "think_time": {{ms}} } }""";
}
