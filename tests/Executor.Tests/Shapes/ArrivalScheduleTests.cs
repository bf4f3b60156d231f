using PerfTest.Executor.Load;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>When the open model's iterations are due: one per unit of area under the rate, the first at once.</summary>
public sealed class ArrivalScheduleTests
{
    [Fact]
    public void A_constant_rate_starts_on_a_regular_grid_from_0()
    {
        var starts = Starts(new Rate(_ => 5), TimeSpan.FromSeconds(3));
        Assert.Equal(Enumerable.Range(0, 15).Select(i => TimeSpan.FromMilliseconds(200 * i)), starts);
    }

    [Fact]
    public void Timestamps_of_another_frequency_give_the_same_starts()
    {
        var schedule = new ArrivalSchedule(new Rate(_ => 4), 1_000_000_000);  // nanoseconds, as Stopwatch on Linux
        var starts = new List<long>();
        while (schedule.TryPeek(1_999_999_999, out var due))
        {
            starts.Add(due);
            schedule.Take();
        }
        Assert.Equal(Enumerable.Range(0, 8).Select(i => 250_000_000L * i), starts);
    }

    [Fact]
    public void A_rate_below_1_waits_whole_seconds()
    {
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], Starts(new Rate(_ => 0.5), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_ramp_starts_what_the_area_under_it_holds_each_second()
    {
        // 2 → 8 per second over 5 s: area 2t + 0.6t², so 2.6, 6.4, 11.4, 17.6 by the ends of seconds 0-3.
        var shape = new ConstantOrRampingArrivals(Stages.Parse("""{ "pressure_mode": 1, "tps_value": 8, "current_tps": 2, "ramp_up": 5 }"""));
        Assert.Equal([3, 4, 5, 6], PerSecond(Starts(shape, TimeSpan.FromSeconds(4)), 4));
    }

    [Fact]
    public void A_ramp_from_0_starts_as_soon_as_the_rate_is_above_0_then_follows_the_area()
    {
        // 0 → 13 per second over 5 s (area 1.3t²). Waiting 1 / rate after each start would wait 1 / 0.026 s after the first.
        var shape = new ConstantOrRampingArrivals(Stages.Parse("""{ "pressure_mode": 1, "tps_value": 13, "current_tps": 0, "ramp_up": 5 }"""));
        var starts = Starts(shape, TimeSpan.FromSeconds(4));
        Assert.Equal(ArrivalSchedule.Step, starts[0]);
        Assert.Equal([2, 4, 6, 9], PerSecond(starts, 4));
    }

    [Fact]
    public void A_rate_that_drops_is_followed_from_the_drop()
    {
        var starts = Starts(new Rate(t => t < TimeSpan.FromSeconds(1) ? 10 : 2), TimeSpan.FromSeconds(2));
        Assert.Equal([10, 2], PerSecond(starts, 2));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)], starts[10..]);
    }

    [Fact]
    public void A_manual_level_set_later_counts_from_the_next_step()
    {
        var shape = Assert.IsType<ManualArrivals>(LoadShapes.For(Stages.Parse("""{ "pressure_mode": 1, "voltage_regulating_mode": 1, "tps_value": 0 }"""), 0));
        var schedule = new ArrivalSchedule(shape, TimeSpan.TicksPerSecond);
        Assert.False(schedule.TryPeek(TimeSpan.FromSeconds(2).Ticks, out _));  // a rate of 0 starts nothing
        shape.Level.Set(5);
        var starts = new List<TimeSpan>();
        while (schedule.TryPeek(TimeSpan.FromSeconds(3).Ticks - 1, out var due))
        {
            starts.Add(new TimeSpan(due));
            schedule.Take();
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => TimeSpan.FromMilliseconds(2010 + 200 * i)), starts);
    }

    [Fact]
    public void A_start_stays_the_next_until_it_is_taken()
    {
        var schedule = new ArrivalSchedule(new Rate(_ => 5), TimeSpan.TicksPerSecond);
        Assert.True(schedule.TryPeek(0, out var first));
        Assert.True(schedule.TryPeek(0, out var again));
        Assert.Equal(first, again);
        schedule.Take();
        Assert.False(schedule.TryPeek(TimeSpan.FromMilliseconds(199).Ticks, out _));
        Assert.True(schedule.TryPeek(TimeSpan.FromMilliseconds(200).Ticks, out var next));
        Assert.Equal(TimeSpan.FromMilliseconds(200).Ticks, next);
    }

    /// <summary>The starts before <paramref name="until"/>, in TimeSpan ticks from the stage's start.</summary>
    private static List<TimeSpan> Starts(IArrivalShape shape, TimeSpan until)
    {
        var schedule = new ArrivalSchedule(shape, TimeSpan.TicksPerSecond);
        var starts = new List<TimeSpan>();
        while (schedule.TryPeek(until.Ticks - 1, out var due))
        {
            starts.Add(new TimeSpan(due));
            schedule.Take();
        }
        return starts;
    }

    private static int[] PerSecond(List<TimeSpan> starts, int seconds) =>
        [.. Enumerable.Range(0, seconds).Select(s => starts.Count(t => (int)t.TotalSeconds == s))];

    private sealed class Rate(Func<TimeSpan, double> rate) : IArrivalShape
    {
        public int MaxUsers => 1;

        public double RateAt(TimeSpan elapsed) => rate(elapsed);
    }
}
