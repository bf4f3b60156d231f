using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using Xunit;

namespace PerfTest.Executor.Tests;

/// <summary>Load shapes on a virtual clock: the curve each pressure mode promises, second by second.</summary>
public sealed class LoadShapeTests
{
    private static StageSpec Stage(string json, int index = 0, int count = 1) => Shapes.Stages.Parse(json, index, count);

    [Fact]
    public void Concurrency_without_ramp_holds_issue_num_from_the_start()
    {
        var shape = new ConstantOrRampingUsers(Stage("""{ "pressure_mode": 0, "issue_num": 10, "time": 5 }"""));
        Assert.All(Enumerable.Range(0, 6), s => Assert.Equal(10, shape.UsersAt(TimeSpan.FromSeconds(s))));
    }

    [Fact]
    public void Concurrency_ramps_linearly_from_current_user_num_over_ramp_up()
    {
        var shape = new ConstantOrRampingUsers(Stage("""{ "pressure_mode": 0, "issue_num": 20, "current_user_num": 10, "ramp_up": 10, "time": 30 }"""));
        int[] expected = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20];
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(s => shape.UsersAt(TimeSpan.FromSeconds(s))));
    }

    [Fact]
    public void Tps_ramps_from_current_tps_and_caps_vus_at_issue_num()
    {
        var shape = new ConstantOrRampingArrivals(Stage("""{ "pressure_mode": 1, "tps_value": 100, "current_tps": 50, "ramp_up": 5, "issue_num": 8 }"""));
        double[] expected = [50, 60, 70, 80, 90, 100, 100];
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(s => shape.RateAt(TimeSpan.FromSeconds(s))));
        Assert.Equal(8, shape.MaxUsers);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(7, 7)]
    [InlineData(5, 8)]
    [InlineData(1001, 4)]
    public void Shares_over_executors_always_add_up_to_the_total(long total, int executors)
    {
        var shares = Enumerable.Range(0, executors).Select(i => Share.Of(total, i, executors)).ToList();
        Assert.Equal(total, shares.Sum());
        Assert.True(shares.Max() - shares.Min() <= 1);
    }

    [Fact]
    public void A_stage_split_over_three_executors_keeps_every_total()
    {
        const string Json = """{ "pressure_mode": 1, "issue_num": 10, "tps_value": 500, "current_tps": 100, "ramp_up": 4, "count": 1000 }""";
        var parts = Enumerable.Range(0, 3).Select(i => new ConstantOrRampingArrivals(Stage(Json, i, 3))).ToList();
        Assert.Equal(10, parts.Sum(p => p.MaxUsers));
        Assert.All(Enumerable.Range(0, 6), s => Assert.Equal(100 + 100 * Math.Min(s, 4), parts.Sum(p => p.RateAt(TimeSpan.FromSeconds(s))), 9));
        Assert.Equal(1000, Enumerable.Range(0, 3).Sum(i => Stage(Json, i, 3).Iterations));
    }

    [Fact]
    public void A_ramp_split_over_executors_adds_up_to_the_whole_ramp_not_to_the_rounded_shares()
    {
        // 0 -> 5 VUs over 5 s on 3 executors: splitting the parameters first (0 -> 2, 0 -> 2, 0 -> 1)
        // would run 0, 0, 0, 1, 3, 5 VUs; the whole stage's curve is 0, 1, 2, 3, 4, 5.
        const string Json = """{ "pressure_mode": 0, "issue_num": 5, "current_user_num": 0, "ramp_up": 5, "time": 10 }""";
        var parts = Enumerable.Range(0, 3).Select(i => new ConstantOrRampingUsers(Stage(Json, i, 3))).ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5], Enumerable.Range(0, 6).Select(s => parts.Sum(p => p.UsersAt(TimeSpan.FromSeconds(s)))));
    }

    [Theory]
    [MemberData(nameof(Shapes.SplitTests.EveryMode), MemberType = typeof(Shapes.SplitTests))]
    public void Tps_modes_get_an_arrival_shape_and_the_others_a_concurrency_shape(string json)
    {
        var stage = Stage(json);
        var shape = LoadShapes.For(stage, 0);
        Assert.Equal(LoadShapes.IsTps(stage.PressureMode), shape is IArrivalShape);
        Assert.Equal(!LoadShapes.IsTps(stage.PressureMode), shape is IConcurrencyShape);
        Assert.Equal(stage.Manual, shape is IManualShape);
    }

    [Fact]
    public void Modes_outside_0_to_7_are_refused_with_the_stage_path()
    {
        var e = Assert.Throws<Executor.Scripting.ScriptException>(() => LoadShapes.For(Stage("""{ "pressure_mode": 9 }"""), 2));
        Assert.Contains("stages[2].pressure_mode 9", e.Message);
    }
}
