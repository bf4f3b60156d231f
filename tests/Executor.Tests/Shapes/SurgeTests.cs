using PerfTest.Executor.Load;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Modes 3 and 4: minimum, and maximum for max_duration seconds in the middle of each of loop_count periods.</summary>
public sealed class SurgeTests
{
    [Fact]
    public void Surge_concurrency_sits_in_the_middle_of_each_period()
    {
        // Periods [0,10) and [10,20); each surge starts (10 - 4) / 2 = 3 s into its period.
        var shape = new SurgeUsers(Stages.Parse("""{ "pressure_mode": 3, "time": 20, "loop_count": 2, "max_duration": 4, "minimum": 2, "maximum": 10 }"""));
        int[] expected = [2, 2, 2, 10, 10, 10, 10, 2, 2, 2, 2, 2, 2, 10, 10, 10, 10, 2, 2, 2];
        Assert.Equal(expected, Stages.Users(shape, 20));
    }

    [Fact]
    public void Uneven_periods_fall_on_whole_seconds_and_the_pattern_repeats_past_time()
    {
        // time 10 over 3 loops: periods start at 0, 3, 6 (lengths 3, 3, 4); 1 s surges at 1, 4 and 6 + (4 - 1) / 2 = 7.
        var shape = new SurgeArrivals(Stages.Parse("""{ "pressure_mode": 4, "time": 10, "loop_count": 3, "max_duration": 1, "minimum": 100, "maximum": 300 }"""));
        double[] period = [100, 300, 100, 100, 300, 100, 100, 300, 100, 100];
        Assert.Equal([.. period, .. period], Stages.Rates(shape, 20));
    }

    [Fact]
    public void A_surge_as_long_as_the_period_fills_it()
    {
        var shape = new SurgeUsers(Stages.Parse("""{ "pressure_mode": 3, "time": 6, "loop_count": 3, "max_duration": 2, "minimum": 1, "maximum": 5 }"""));
        Assert.All(Stages.Users(shape, 6), users => Assert.Equal(5, users));
    }

    [Fact]
    public void Surge_tps_caps_its_vus_at_issue_num_or_at_ten_per_peak_iteration()
    {
        const string Json = """{ "pressure_mode": 4, "time": 10, "loop_count": 1, "max_duration": 2, "minimum": 1, "maximum": 30 }""";
        Assert.Equal(300, new SurgeArrivals(Stages.Parse(Json)).MaxUsers);
        Assert.Equal(7, new SurgeArrivals(Stages.Parse(Json.Replace("{", """{ "issue_num": 7,"""))).MaxUsers);
    }
}
