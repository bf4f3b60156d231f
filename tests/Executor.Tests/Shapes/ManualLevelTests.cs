using PerfTest.Executor.Grpc;
using PerfTest.Executor.Load;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>voltage_regulating_mode 1: the stage holds its starting level until someone sets a new total.</summary>
public sealed class ManualLevelTests
{
    [Fact]
    public void A_manual_concurrency_stage_holds_issue_num_then_follows_the_level_set()
    {
        var shape = Assert.IsType<ManualUsers>(LoadShapes.For(Stages.Parse("""{ "pressure_mode": 0, "voltage_regulating_mode": 1, "issue_num": 10, "current_user_num": 1, "ramp_up": 60 }"""), 0));
        Assert.All(Stages.Users(shape, 5), users => Assert.Equal(10, users));
        shape.Level.Set(25);
        Assert.Equal(25, shape.UsersAt(TimeSpan.FromSeconds(6)));
        shape.Level.Set(0);
        Assert.Equal(0, shape.UsersAt(TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void A_manual_tps_stage_accepts_the_misspelt_field_and_starts_at_tps_value()
    {
        var shape = Assert.IsType<ManualArrivals>(LoadShapes.For(Stages.Parse("""{ "pressure_mode": 4, "voltage_regulation_mode": 1, "tps_value": 200 }"""), 0));
        Assert.Equal(200, shape.RateAt(TimeSpan.Zero));
        shape.Level.Set(450);
        Assert.Equal(450, shape.RateAt(TimeSpan.FromSeconds(3)));
        Assert.Equal(ArrivalCurve.UserCap, shape.MaxUsers);
    }

    [Fact]
    public void Surge_and_flapping_stages_without_issue_num_start_manual_at_minimum()
    {
        var shape = Assert.IsType<ManualUsers>(LoadShapes.For(Stages.Parse("""{ "pressure_mode": 5, "voltage_regulating_mode": 1, "minimum": 4, "maximum": 9 }"""), 0));
        Assert.Equal(4, shape.Level.Total);
    }

    [Fact]
    public void One_total_set_on_every_executor_splits_into_shares_that_add_up()
    {
        const string Json = """{ "pressure_mode": 0, "voltage_regulating_mode": 1, "issue_num": 3 }""";
        var parts = Enumerable.Range(0, 4).Select(i => Assert.IsType<ManualUsers>(LoadShapes.For(Stages.Parse(Json, i, 4), 0))).ToList();
        Assert.Equal([1, 1, 1, 0], parts.Select(p => p.UsersAt(TimeSpan.Zero)));
        parts.ForEach(p => p.Level.Set(42));
        Assert.Equal([11, 11, 10, 10], parts.Select(p => p.UsersAt(TimeSpan.Zero)));
    }

    [Fact]
    public void A_negative_level_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManualLevel(5).Set(-1));
    }

    [Fact]
    public void Setting_a_level_when_no_manual_stage_runs_says_so()
    {
        using var runner = new PlanRunner(new RunPlan(), TimeProvider.System);
        Assert.False(runner.SetManualLevel(10));
        Assert.Empty(runner.StageOutcomes);
    }
}
