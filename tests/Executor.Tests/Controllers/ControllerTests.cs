using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.Executor.Tests.Controllers;

/// <summary>The controllers' own logic, with counting cards in place of requests (the REST end-to-end tests send real ones).</summary>
public sealed class ControllerTests
{
    private static VirtualUser NewVu() => new(new RunRecorder(1), 0, CancellationToken.None);

    [Fact]
    public async Task Loop_runs_its_cards_loop_count_times_in_order()
    {
        var log = new List<string>();
        var loop = new LoopController([new LogCard(log, "a"), new LogCard(log, "b")], 3, null);
        await loop.ExecuteAsync(NewVu(), CancellationToken.None);
        Assert.Equal(["a", "b", "a", "b", "a", "b"], log);
    }

    [Fact]
    public async Task Loop_with_a_condition_stops_when_it_turns_false()
    {
        var log = new List<string>();
        var loop = new LoopController([new LogCard(log, "x")], LoopController.DefaultMaxLoops, new Until(() => log.Count < 4));
        await loop.ExecuteAsync(NewVu(), CancellationToken.None);
        Assert.Equal(4, log.Count);
    }

    [Fact]
    public async Task Loop_whose_condition_never_turns_false_ends_at_its_cap()
    {
        var log = new List<string>();
        var loop = new LoopController([new LogCard(log, "x")], 7, new Until(() => true));
        await loop.ExecuteAsync(NewVu(), CancellationToken.None);
        Assert.Equal(7, log.Count);
    }

    [Theory]
    [InlineData(true, "then")]
    [InlineData(false, "else")]
    public async Task Condition_runs_then_or_else(bool holds, string expected)
    {
        var log = new List<string>();
        var controller = new ConditionController(new Until(() => holds), [new LogCard(log, "then")], [new LogCard(log, "else")]);
        await controller.ExecuteAsync(NewVu(), CancellationToken.None);
        Assert.Equal([expected], log);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(25)]
    [InlineData(33)]
    [InlineData(50)]
    [InlineData(99)]
    [InlineData(100)]
    public void Vu_percentage_selects_exactly_p_of_every_100_vus(int percentage)
    {
        for (var block = 0; block < 3; block++)
        {
            var selected = Enumerable.Range(block * 100, 100).Count(n => VuPercentageController.Selects(n, percentage));
            Assert.Equal(percentage, selected);
        }
    }

    [Fact]
    public async Task Vu_percentage_keeps_its_choice_for_each_vu()
    {
        var log = new List<string>();
        var controller = new VuPercentageController([new LogCard(log, "in")], 25);
        var vus = Enumerable.Range(0, 8).Select(_ => NewVu()).ToList();
        for (var iteration = 0; iteration < 5; iteration++)
        {
            foreach (var vu in vus)
            {
                await controller.ExecuteAsync(vu, CancellationToken.None);
            }
        }
        Assert.Equal(2 * 5, log.Count);  // 2 of the 8 VUs, every iteration
    }

    [Fact]
    public void Throughput_allows_at_most_n_runs_per_second()
    {
        var clock = new ManualClock();
        var controller = new ThroughputController([], 3, clock);
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => controller.TryTake()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => controller.TryTake()));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(controller.TryTake());
    }

    [Fact]
    public async Task Rendezvous_holds_vus_until_the_group_is_complete()
    {
        var point = new RendezvousController([], 3, TimeSpan.FromMinutes(5));
        var first = point.ArriveAsync(CancellationToken.None);
        var second = point.ArriveAsync(CancellationToken.None);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        await point.ArriveAsync(CancellationToken.None);  // the third completes the group
        await Task.WhenAll(first, second);
        Assert.Equal(1, point.Releases);

        var next = point.ArriveAsync(CancellationToken.None);  // a new group starts empty
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task Rendezvous_releases_an_incomplete_group_after_its_timeout()
    {
        var point = new RendezvousController([], 10, TimeSpan.FromMilliseconds(50));
        await Task.WhenAll(point.ArriveAsync(CancellationToken.None), point.ArriveAsync(CancellationToken.None));
        Assert.Equal(1, point.Releases);
    }

    private sealed class LogCard(List<string> log, string name) : ICard
    {
        public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
        {
            log.Add(name);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Until(Func<bool> holds) : IVuCondition
    {
        public bool IsTrue(VirtualUser vu) => holds();
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
