using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// A plan whose Run stream broke runs on, orphaned, for the engine's grace: an Attach replays what came after the
/// sequence it names and streams on to the final; without one, the plan is stopped and dropped when the grace is over.
/// Everything runs on the virtual clock (the grace too).
/// </summary>
public sealed class OrphanTests
{
    private static readonly EngineOptions Grace10 = new() { OrphanGrace = TimeSpan.FromSeconds(10) };

    private static RunPlan Plan(int seconds) => TestPlans.RunPlan($$"""
        { "contents": [ { "content": [
            { "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.1:1", "bodys": [ "x" ] } } ] } ],
          "stages": [ { "operate_mode": 0, "time": {{seconds}}, "pressure_mode": 0, "issue_num": 0 } ] }
        """);

    /// <summary>Starts case run <paramref name="caseRunId"/> (one timed stage without VUs) streaming into <paramref name="stream"/>.</summary>
    private static Task Start(ExecutorEngine engine, long caseRunId, int seconds, Stream stream, CancellationToken caller, int executors = 1)
    {
        var plan = Plan(seconds);
        plan.CaseRunId = caseRunId;
        plan.ExecutorCount = executors;
        return engine.RunAsync(plan, stream.Write, caller);
    }

    private sealed class Stream
    {
        private readonly List<SecondSnapshot> _seconds = [];

        public List<SecondSnapshot> Seconds
        {
            get
            {
                lock (_seconds)
                {
                    return [.. _seconds];
                }
            }
        }

        public Task Write(SecondSnapshot s)
        {
            lock (_seconds)
            {
                _seconds.Add(s.Clone());
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_plan_whose_caller_went_away_runs_on_and_an_attach_replays_the_rest_then_streams_to_the_final()
    {
        var clock = new VirtualClock();
        var engine = new ExecutorEngine(clock, Grace10);
        using var caller = new CancellationTokenSource();
        var first = new Stream();
        var run = Start(engine, 7, 6, first, caller.Token);
        await ClockDriver.RunUntil(clock, () => first.Seconds.Count >= 2);
        await caller.CancelAsync();
        await run;
        var received = first.Seconds.Count;

        // Orphaned: the plan goes on (two more seconds pass into its outbox), still listed as running here.
        var orphanedAt = clock.Elapsed;
        await ClockDriver.RunUntil(clock, () => clock.Elapsed >= orphanedAt + TimeSpan.FromSeconds(2));
        Assert.Equal([7L], engine.RunningCaseRuns);

        var second = new Stream();
        var attach = engine.AttachAsync(7, received, second.Write, CancellationToken.None);
        await ClockDriver.RunUntil(clock, () => attach.IsCompleted);
        await attach;

        var sequences = second.Seconds.Select(s => s.Sequence).ToList();
        Assert.Equal(Enumerable.Range(received + 1, sequences.Count).Select(i => (long)i), sequences);
        Assert.True(second.Seconds[^1].Final);
        Assert.All(second.Seconds.SkipLast(1), s => Assert.False(s.Final));
        Assert.Empty(engine.RunningCaseRuns);  // its final delivered: gone
    }

    [Fact]
    public async Task Without_an_attach_the_orphaned_plan_is_stopped_and_dropped_when_the_grace_is_over()
    {
        var clock = new VirtualClock();
        var engine = new ExecutorEngine(clock, Grace10);
        using var caller = new CancellationTokenSource();
        var first = new Stream();
        var run = Start(engine, 8, 600, first, caller.Token);
        await ClockDriver.RunUntil(clock, () => first.Seconds.Count >= 1);
        await caller.CancelAsync();
        await run;
        var orphanedAt = clock.Elapsed;

        await ClockDriver.RunUntil(clock, () => engine.RunningCount == 0);

        Assert.InRange(clock.Elapsed - orphanedAt, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.AttachAsync(8, 0, new Stream().Write, CancellationToken.None));
    }

    [Fact]
    public async Task A_newer_attach_takes_the_stream_over_and_the_older_call_ends()
    {
        var clock = new VirtualClock();
        var engine = new ExecutorEngine(clock, Grace10);
        var first = new Stream();
        var run = Start(engine, 9, 4, first, CancellationToken.None);
        await ClockDriver.RunUntil(clock, () => first.Seconds.Count >= 1);

        var second = new Stream();
        var attach = engine.AttachAsync(9, 0, second.Write, CancellationToken.None);
        await ClockDriver.RunUntil(clock, () => run.IsCompleted && attach.IsCompleted);

        Assert.DoesNotContain(first.Seconds, s => s.Final);
        Assert.Equal(1, second.Seconds[0].Sequence);  // replayed from the first
        Assert.True(second.Seconds[^1].Final);
    }

    [Fact]
    public async Task A_reshare_or_attach_of_a_case_run_not_running_here_is_refused()
    {
        var engine = new ExecutorEngine(new VirtualClock());
        Assert.False(engine.Reshare(new ReshareRequest { CaseRunId = 1, ExecutorIndex = 0, ExecutorCount = 1 }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => engine.AttachAsync(1, 0, _ => Task.CompletedTask, CancellationToken.None));
        var local = new LocalExecutorClient(engine);
        Assert.False(await local.ReshareAsync(new ReshareRequest { CaseRunId = 1, ExecutorIndex = 0, ExecutorCount = 1 }, CancellationToken.None));
        Assert.Throws<KeyNotFoundException>(() => local.AttachAsync(new AttachRequest { CaseRunId = 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task A_reshare_moves_a_running_plans_place()
    {
        var clock = new VirtualClock();
        var engine = new ExecutorEngine(clock, Grace10);
        var first = new Stream();
        var run = Start(engine, 10, 2, first, CancellationToken.None, executors: 3);
        Assert.True(engine.Reshare(new ReshareRequest { CaseRunId = 10, ExecutorIndex = 1, ExecutorCount = 2 }));
        await ClockDriver.RunUntil(clock, () => run.IsCompleted);
        Assert.True(first.Seconds[^1].Final);
    }
}
