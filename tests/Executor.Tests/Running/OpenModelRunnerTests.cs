using PerfTest.Executor.Load;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Tests.Shapes;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// Stages run by their runner (through <see cref="ILoadShape.RunAsync"/>) on a <see cref="VirtualClock"/>: the
/// iterations that start in each virtual second, counted exactly. The test moves the clock from one timer of the
/// runner to the next, each time once the runner waits again, and at the end of each second lets the VUs take the
/// starts already made. No wall-clock sleep and no timing threshold: a guard of 30 s only ends a hung test.
/// </summary>
public sealed class OpenModelRunnerTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Tps_5_starts_5_iterations_in_each_of_3_virtual_seconds()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 5, "time": 3 }""", [5, 5, 5]);
        Assert.Equal([5, 5, 5], run.PerSecond);
        Assert.Equal(15, run.Starts.Count);
    }

    /// <summary>2 → 8 per second over 5 s: the area under the rate is 2.6, 6.4, 11.4, 17.6 by the ends of seconds
    /// 0-3, so starts 0-2, 3-6, 7-11 and 12-17 (the first at 0) fall into them.</summary>
    [Fact]
    public async Task A_tps_ramp_starts_what_the_area_under_the_rate_holds_each_second()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 8, "current_tps": 2, "ramp_up": 5, "time": 4 }""", [3, 4, 5, 6]);
        Assert.Equal([3, 4, 5, 6], run.PerSecond);
    }

    /// <summary>0 → 13 per second over 5 s (area 1.3 t²): the first start as soon as the rate is above 0 (10 ms in),
    /// then one per unit of area (<see cref="ArrivalScheduleTests"/>). Sampling the rate at each start and waiting
    /// 1 / rate would start 1 iteration in these 4 seconds.</summary>
    [Fact]
    public async Task A_tps_ramp_from_0_follows_the_rate_from_its_first_start()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 13, "current_tps": 0, "ramp_up": 5, "time": 4 }""", [2, 4, 6, 9]);
        Assert.Equal([2, 4, 6, 9], run.PerSecond);
    }

    [Fact]
    public async Task A_count_mode_tps_stage_ends_by_itself_after_its_count()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 5, "operate_mode": 1, "count": 7 }""", [5, 2, 0]);
        Assert.Equal([5, 2, 0], run.PerSecond);
        Assert.True(run.EndedByItself);
    }

    /// <summary>A manual TPS stage at 0 starts nothing (the runner looks again every 100 ms); the level set as second 2
    /// begins counts from the schedule's next 10 ms step: starts at 2.01 s, then every 200 ms.</summary>
    [Fact]
    public async Task A_manual_tps_stage_starts_nothing_at_0_and_follows_the_level_set()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "voltage_regulating_mode": 1, "tps_value": 0 }""", [0, 0, 5, 5],
            (second, context) =>
            {
                if (second == 2)
                {
                    context.Manual!.Set(5);
                }
            });
        Assert.Equal([0, 0, 5, 5], run.PerSecond);
    }

    [Fact]
    public async Task A_concurrency_stage_runs_under_the_closed_model_on_the_same_clock()
    {
        // 3 VUs loop a count of 6 at once (the test card takes no time), then the runner ends at one of its 100 ms ticks.
        var run = await RunAsync("""{ "pressure_mode": 0, "issue_num": 3, "operate_mode": 1, "count": 6 }""", [6]);
        Assert.Equal([6], run.PerSecond);
    }

    /// <summary>tps 10 over 2 executors: this one starts 5 a second; moved to 0 of 1 as second 2 begins (the other
    /// left), it starts the whole 10 from the schedule's next step on.</summary>
    [Fact]
    public async Task A_reshare_moves_an_open_model_stages_starts_to_the_new_share()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 10, "time": 4 }""", [5, 5, 10, 10],
            (second, context) =>
            {
                if (second == 2)
                {
                    context.Stage.Place.Set(0, 1);
                }
            }, executors: 2);
        Assert.Equal([5, 5, 10, 10], run.PerSecond);
    }

    /// <summary>4 VUs over 2 executors: 2 here; moved to 0 of 1 (the other left), all 4 (the closed-model runner reads
    /// the shape again at its next 100 ms look).</summary>
    [Fact]
    public void A_reshare_moves_a_closed_model_stages_users_to_the_new_share()
    {
        var stage = Stages.Parse("""{ "pressure_mode": 0, "issue_num": 4, "time": 4 }""", executor: 1, executors: 2);
        var shape = (IConcurrencyShape)LoadShapes.For(stage, 0);
        Assert.Equal(2, shape.UsersAt(TimeSpan.Zero));
        stage.Place.Set(0, 1);
        Assert.Equal(4, shape.UsersAt(TimeSpan.Zero));
    }

    /// <summary>A count of 7 at 5 a second: a budget of 6 set as second 1 begins ends the stage after its sixth start.</summary>
    [Fact]
    public async Task A_budget_set_mid_stage_bounds_the_starts_of_a_count_mode_stage()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 5, "operate_mode": 1, "count": 7 }""", [5, 1, 0],
            (second, context) =>
            {
                if (second == 1)
                {
                    context.SetBudget(6);
                }
            });
        Assert.Equal([5, 1, 0], run.PerSecond);
        Assert.True(run.EndedByItself);
    }

    /// <summary>A ramp 0 → 10 a second over 10 s joined 4 s in: the schedule integrates from there (area 4.5 in its
    /// first second: 5 starts with the one owed at once), not from 0 (area 0.5: 1 start).</summary>
    [Fact]
    public async Task A_joined_stage_continues_the_shape_from_its_elapsed_offset()
    {
        var run = await RunAsync("""{ "pressure_mode": 1, "tps_value": 10, "current_tps": 0, "ramp_up": 10, "time": 20 }""", [5, 5],
            offset: TimeSpan.FromSeconds(4));
        Assert.Equal([5, 5], run.PerSecond);
    }

    /// <summary>
    /// 1,000 starts a second for 1 VU whose target never answers: the VU holds the first start, the queue takes 8 more
    /// and then the schedule waits. An unbounded queue would take all 3,000 starts due after 3 s (and 1,000 more each
    /// second), in memory, while the target stalls.
    /// </summary>
    [Fact]
    public async Task A_stalled_vu_pool_holds_the_schedule_and_the_start_queue_stays_bounded()
    {
        const int capacity = 8;
        var stage = Stages.Parse("""{ "pressure_mode": 1, "tps_value": 1000, "issue_num": 1, "time": 60 }""");
        var clock = new VirtualClock();
        var stall = new StalledCard();
        using var drain = new CancellationTokenSource();
        var context = new StageContext(stage, new CompiledScript([], [stall], [], 0), new RunRecorder(1), clock, drain.Token, CancellationToken.None);
        var runner = Task.Run(() => OpenModelRunner.RunAsync(context, (IArrivalShape)LoadShapes.For(stage, 0), capacity));
        await ClockDriver.Until(() => clock.NextDue is not null || context.Taken > 0, () => "the runner never waited");
        clock.AdvanceTo(TimeSpan.FromSeconds(3).Ticks);
        await ClockDriver.Until(() => context.Taken >= capacity + 1 && stall.Entered > 0, () => $"{context.Taken} starts taken");

        await drain.CancelAsync();
        stall.Release();
        await runner.WaitAsync(HangGuard);
        Assert.Equal(capacity + 1, context.Taken);
    }

    /// <summary>
    /// 1,200 VUs whose target never answers: 500 start at the first look, 500 more at the next, the last 200 at the third
    /// (the VU gauge after each look counts the VUs started, all still busy). Before, all 1,200 started at the first.
    /// </summary>
    [Fact]
    public async Task A_stage_of_many_vus_starts_them_over_several_ticks()
    {
        var stage = Stages.Parse("""{ "pressure_mode": 0, "issue_num": 1200, "time": 60 }""");
        var clock = new VirtualClock();
        var stall = new StalledCard();
        using var drain = new CancellationTokenSource();
        var recorder = new RunRecorder(1);
        var context = new StageContext(stage, new CompiledScript([], [stall], [], 0), recorder, clock, drain.Token, CancellationToken.None);
        var runner = Task.Run(() => ClosedModelRunner.RunAsync(context, (IConcurrencyShape)LoadShapes.For(stage, 0)));

        var gauges = new List<int>();
        for (var look = 0; look < 3; look++)
        {
            await ClockDriver.Until(() => clock.NextDue is not null, () => $"look {look} never ended");
            gauges.Add(recorder.Rotate(look).VirtualUsers);
            clock.AdvanceTo(clock.NextDue!.Value);
        }
        Assert.Equal([500, 1000, 1200], gauges);
        await ClockDriver.Until(() => stall.Entered == 1200, () => $"{stall.Entered} VUs in the card");

        await drain.CancelAsync();
        stall.Release();
        await runner.WaitAsync(HangGuard);
    }

    private sealed record Run(IReadOnlyList<TimeSpan> Starts, int[] PerSecond, bool EndedByItself);

    /// <summary>
    /// Runs the stage for <paramref name="expected"/>.Length virtual seconds (or until it ends by itself) and returns
    /// the virtual times at which its iterations started. <paramref name="expected"/> only says how many starts to let
    /// arrive at the end of each second before the clock moves on; <paramref name="atSecond"/> runs at each whole second.
    /// </summary>
    private static async Task<Run> RunAsync(string stageJson, int[] expected, Action<int, StageContext>? atSecond = null,
        int executors = 1, TimeSpan offset = default)
    {
        var stage = Stages.Parse(stageJson, executors: executors);
        var clock = new VirtualClock();
        var log = new StartLog(clock);
        var shape = LoadShapes.For(stage, 0);
        using var drain = new CancellationTokenSource();
        var script = new CompiledScript([], [log], [], 0);
        var context = new StageContext(stage, script, new RunRecorder(1), clock, drain.Token, CancellationToken.None)
        {
            Manual = (shape as IManualShape)?.Level,
            ElapsedOffset = offset,
        };
        var runner = Task.Run(() => shape.RunAsync(context));
        for (var second = 0; second < expected.Length; second++)
        {
            atSecond?.Invoke(second, context);
            await RunClockUntil(clock, runner, TimeSpan.FromSeconds(second + 1).Ticks);
            var startedBy = expected.Take(second + 1).Sum();
            await ClockDriver.Until(() => log.Count >= startedBy, () => $"{log.Count} starts by the end of second {second}, {startedBy} expected");
        }
        var endedByItself = runner.IsCompleted;
        await drain.CancelAsync();
        await runner.WaitAsync(HangGuard);
        var starts = log.Times;
        var perSecond = new int[expected.Length];
        foreach (var start in starts)
        {
            perSecond[(int)start.TotalSeconds]++;
        }
        return new Run(starts, perSecond, endedByItself);
    }

    /// <summary>Fires the runner's timers one by one up to (not including) <paramref name="end"/>, each once the runner
    /// waits on one again; returns early when the runner ends.</summary>
    private static async Task RunClockUntil(VirtualClock clock, Task runner, long end)
    {
        while (true)
        {
            await ClockDriver.Until(() => runner.IsCompleted || clock.NextDue is not null, () => "the runner neither waits nor ends");
            if (runner.IsCompleted || clock.NextDue is not { } due || due >= end)
            {
                return;
            }
            clock.AdvanceTo(due);
        }
    }


    /// <summary>The script's one card: notes the virtual time at which each iteration runs it.</summary>
    private sealed class StartLog(VirtualClock clock) : ICard
    {
        private readonly List<TimeSpan> _times = [];

        public int Count
        {
            get
            {
                lock (_times)
                {
                    return _times.Count;
                }
            }
        }

        public List<TimeSpan> Times
        {
            get
            {
                lock (_times)
                {
                    return [.. _times.Order()];
                }
            }
        }

        public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
        {
            lock (_times)
            {
                _times.Add(clock.Elapsed);
            }
            return ValueTask.CompletedTask;
        }
    }
}
