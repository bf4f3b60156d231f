using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// A plan on the virtual clock: its snapshots' numbers and stage fields, and a plan joining a running group at a
/// stage, on the group's clock for it. The card (a TCP send to a closed loopback port, then 100 ms of think time)
/// only keeps VUs alive; nothing here depends on what it measures.
/// </summary>
public sealed class JoinPointTests
{
    private static RunPlan Plan(string stages) => TestPlans.ClosedPortPlan(stages);

    private static async Task<(List<SecondSnapshot> Seconds, PlanRunner Runner)> RunAsync(VirtualClock clock, RunPlan plan)
    {
        var seconds = new List<SecondSnapshot>();
        var runner = new PlanRunner(plan, clock);
        var run = runner.RunAsync(s =>
        {
            lock (seconds)
            {
                seconds.Add(s.Clone());
            }
            return Task.CompletedTask;
        }, CancellationToken.None, CancellationToken.None);
        await ClockDriver.RunUntil(clock, () => run.IsCompleted);
        await run;
        return (seconds, runner);
    }

    [Fact]
    public async Task Snapshots_are_numbered_from_1_to_the_final_and_say_when_and_how_far_their_stage_got()
    {
        var clock = new VirtualClock();
        // The plan starts on the first whole second after the clock's start: the stage's clock starts there. (Not read
        // back from the clock at the end: the driver may move it on while the final snapshot is made.)
        var started = (clock.GetUtcNow().ToUnixTimeSeconds() + 1) * 1000;
        var (seconds, runner) = await RunAsync(clock, Plan("""[ { "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 0 } ]"""));
        runner.Dispose();

        Assert.Equal(Enumerable.Range(1, seconds.Count).Select(i => (long)i), seconds.Select(s => s.Sequence));
        Assert.True(seconds[^1].Final);
        Assert.True(seconds.Count >= 4, $"{seconds.Count} snapshots: 3 seconds and a final expected");
        Assert.All(seconds, s => Assert.Equal((0, started, 0L), (s.StageIndex, s.StageStartedUnixMs, s.StageIterations)));
    }

    [Fact]
    public async Task A_count_stage_reports_the_iterations_it_started()
    {
        var clock = new VirtualClock();
        var (seconds, runner) = await RunAsync(clock, Plan("""[ { "operate_mode": 1, "count": 3, "pressure_mode": 0, "issue_num": 1 } ]"""));
        runner.Dispose();
        Assert.Equal(3, seconds[^1].StageIterations);
    }

    /// <summary>
    /// Stage 1 (10 s, VUs ramping 0 → 10 over 10 s) started 3 s before this executor joins: stage 0 never runs here,
    /// stage 1 ends with the group's, 7 s later, and its first second runs the ramp's 3 to 4 VUs (0 from a fresh start).
    /// </summary>
    [Fact]
    public async Task A_plan_joining_stage_1_runs_only_it_on_the_groups_clock()
    {
        var clock = new VirtualClock();
        var joinSecond = clock.GetUtcNow().ToUnixTimeSeconds() + 1;  // the plan's first whole second
        var plan = Plan("""
            [ { "operate_mode": 0, "time": 5, "pressure_mode": 0, "issue_num": 1 },
              { "operate_mode": 0, "time": 10, "pressure_mode": 0, "issue_num": 10, "current_user_num": 0, "ramp_up": 10 } ]
            """);
        plan.Join = new JoinPoint { StageIndex = 1, StageStartedUnixMs = (joinSecond - 3) * 1000 };

        var (seconds, runner) = await RunAsync(clock, plan);

        Assert.Equal([1], runner.StageOutcomes.Select(o => o.StageIndex));
        Assert.Null(runner.StageOutcomes[0].EndedBy);
        runner.Dispose();
        Assert.All(seconds, s => Assert.Equal((1, (joinSecond - 3) * 1000), (s.StageIndex, s.StageStartedUnixMs)));
        Assert.Equal(joinSecond + 6, seconds[^1].UnixSecond);  // the stage's last second: started + 10 - 1
        Assert.True(seconds[^1].Final);
        Assert.NotEmpty(seconds[0].MetricKeys);
        // The ramp's 3 to 4 VUs, or 5 when the driver moved the clock on before the runner read the level (the driver
        // fires the next timer after a millisecond of real time, which a loaded machine may not give the runner); a
        // fresh start would run 0 or 1.
        Assert.InRange(seconds[0].VirtualUsers, 3, 5);
    }

    [Fact]
    public async Task A_join_after_its_timed_stage_ended_goes_on_with_the_next()
    {
        var clock = new VirtualClock();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var plan = Plan("""
            [ { "operate_mode": 0, "time": 2, "pressure_mode": 0, "issue_num": 0 },
              { "operate_mode": 0, "time": 1, "pressure_mode": 0, "issue_num": 0 } ]
            """);
        plan.Join = new JoinPoint { StageIndex = 0, StageStartedUnixMs = (now - 5) * 1000 };

        var (seconds, runner) = await RunAsync(clock, plan);

        Assert.Equal([1], runner.StageOutcomes.Select(o => o.StageIndex));
        runner.Dispose();
        Assert.Equal(1, seconds[^1].StageIndex);
    }

    [Fact]
    public async Task A_join_point_outside_the_case_is_refused_naming_it()
    {
        var plan = Plan("""[ { "operate_mode": 0, "time": 1, "pressure_mode": 0, "issue_num": 0 } ]""");
        plan.Join = new JoinPoint { StageIndex = 2 };
        var (seconds, runner) = await RunAsync(new VirtualClock(), plan);
        runner.Dispose();
        Assert.Equal("join.stage_index 2 is not a stage of the case (it has 1)", Assert.Single(seconds).Error);
    }
}
