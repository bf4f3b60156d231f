using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// The stage_index each second carries, which the reports count as the stages that ran: the stage that had started
/// by that second, whichever runs when the tick fires (a timed stage ends on the boundary the tick closes: the
/// second went to the next stage, or to a stage past the last), and -1 only when no stage started.
/// </summary>
public sealed class StageIndexTests
{
    private static RunPlan Plan(string stages) => TestPlans.ClosedPortPlan(stages);

    private static async Task<List<SecondSnapshot>> RunAsync(RunPlan plan, CancellationToken drain)
    {
        var seconds = new List<SecondSnapshot>();
        using var runner = new PlanRunner(plan, TimeProvider.System);
        await runner.RunAsync(s =>
        {
            lock (seconds)
            {
                seconds.Add(s);
            }
            return Task.CompletedTask;
        }, drain, CancellationToken.None);
        return seconds;
    }

    [Fact]
    public async Task Every_second_of_two_timed_stages_carries_one_of_them_and_the_final_the_last()
    {
        // Timed stages end on a second boundary, just when the ticker closes a second: the 1-second stage 0 keeps its second.
        var seconds = await RunAsync(Plan("""
            [ { "operate_mode": 0, "time": 1, "pressure_mode": 0, "issue_num": 1 },
              { "operate_mode": 0, "time": 2, "pressure_mode": 0, "issue_num": 1 } ]
            """), CancellationToken.None);

        Assert.Equal("", seconds[^1].Error);
        Assert.All(seconds, s => Assert.InRange(s.StageIndex, 0, 1));
        Assert.Equal([0, 1], seconds.Select(s => s.StageIndex).Distinct().Order());
        Assert.True(seconds[^1].Final);
        Assert.Equal(1, seconds[^1].StageIndex);
    }

    [Fact]
    public async Task A_run_stopped_before_its_first_stage_reports_stage_minus_one()
    {
        var seconds = await RunAsync(Plan("""[ { "operate_mode": 0, "time": 5, "pressure_mode": 0, "issue_num": 1 } ]"""), new CancellationToken(canceled: true));

        Assert.True(seconds[^1].Final);
        Assert.All(seconds, s => Assert.Equal(-1, s.StageIndex));
    }
}
