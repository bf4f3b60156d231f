using PerfTest.Executor.Load;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Modes 5 and 6: a triangle wave, minimum -> maximum -> minimum, loop_count periods over time.</summary>
public sealed class FlappingTests
{
    [Fact]
    public void Flapping_concurrency_climbs_to_maximum_at_mid_period_and_falls_back()
    {
        var shape = new FlappingUsers(Stages.Parse("""{ "pressure_mode": 5, "time": 20, "loop_count": 2, "minimum": 0, "maximum": 10 }"""));
        int[] period = [0, 2, 4, 6, 8, 10, 8, 6, 4, 2];
        Assert.Equal([.. period, .. period, 0], Stages.Users(shape, 21));
    }

    [Fact]
    public void Flapping_concurrency_rounds_down_to_whole_vus()
    {
        // Period 4 s between 1 and 4: 1, 2.5, 4, 2.5 -> 1, 2, 4, 2.
        var shape = new FlappingUsers(Stages.Parse("""{ "pressure_mode": 5, "time": 8, "loop_count": 2, "minimum": 1, "maximum": 4 }"""));
        Assert.Equal([1, 2, 4, 2, 1, 2, 4, 2], Stages.Users(shape, 8));
    }

    [Fact]
    public void Flapping_tps_follows_the_wave_between_minimum_and_maximum()
    {
        var shape = new FlappingArrivals(Stages.Parse("""{ "pressure_mode": 6, "time": 8, "loop_count": 2, "minimum": 100, "maximum": 200 }"""));
        Assert.Equal([100, 150, 200, 150, 100, 150, 200, 150, 100], Stages.Rates(shape, 9));
        Assert.Equal(125, shape.RateAt(TimeSpan.FromSeconds(0.5)), 9);
    }

    [Fact]
    public void Equal_minimum_and_maximum_is_a_flat_line()
    {
        var shape = new FlappingUsers(Stages.Parse("""{ "pressure_mode": 5, "time": 9, "loop_count": 3, "minimum": 6, "maximum": 6 }"""));
        Assert.All(Stages.Users(shape, 9), users => Assert.Equal(6, users));
    }
}
