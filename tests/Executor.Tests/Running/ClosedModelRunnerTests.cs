using PerfTest.Executor.Load;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Tests.Shapes;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// The closed-model runner on a <see cref="VirtualClock"/>: the clock moves from one of its 100 ms looks to the next,
/// each time once it waits again. No wall-clock sleep decides an outcome; a 30 s guard only ends a hung test.
/// </summary>
public sealed class ClosedModelRunnerTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

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
            await Until(() => clock.NextDue is not null, () => $"look {look} never ended");
            gauges.Add(recorder.Rotate(look).VirtualUsers);
            clock.AdvanceTo(clock.NextDue!.Value);
        }
        Assert.Equal([500, 1000, 1200], gauges);
        await Until(() => stall.Entered == 1200, () => $"{stall.Entered} VUs in the card");

        await drain.CancelAsync();
        stall.Release();
        await runner.WaitAsync(HangGuard);
    }

    private static async Task Until(Func<bool> condition, Func<string> failure)
    {
        var guard = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < guard, failure());
            await Task.Delay(1);
        }
    }
}
