using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Tests.Shapes;
using Xunit;

namespace PerfTest.Executor.Tests.Plan;

/// <summary>An executor's live place in its group: the shares of all places add up, and a move is read at once.</summary>
public sealed class GroupPlaceTests
{
    [Fact]
    public void The_shares_of_three_executors_add_up_to_the_total_for_levels_and_rates()
    {
        var places = Enumerable.Range(0, 3).Select(i => new GroupPlace(i, 3)).ToList();
        Assert.Equal([4, 3, 3], places.Select(p => p.ShareOf(10)));
        Assert.Equal(10.5, places.Sum(p => p.ShareOfRate(10.5)), 9);
    }

    [Fact]
    public void A_stage_follows_its_place_from_1_of_3_to_1_of_2()
    {
        var stage = Stages.Parse("""{ "pressure_mode": 1, "tps_value": 10, "issue_num": 7, "operate_mode": 1, "count": 11 }""",
            executor: 1, executors: 3);
        var shape = (IArrivalShape)LoadShapes.For(stage, 0);
        Assert.Equal((4, 3.0, 2, 3), (stage.Iterations, shape.RateAt(TimeSpan.Zero), shape.MaxUsers, stage.ExecutorCount));

        stage.Place.Set(1, 2);

        Assert.Equal((5, 5.0, 3, 2), (stage.Iterations, shape.RateAt(TimeSpan.Zero), shape.MaxUsers, stage.ExecutorCount));
        Assert.Equal(5.25, stage.ShareOfRate(10.5), 9);
    }

    [Fact]
    public void Max_users_without_issue_num_follow_the_peak_rates_share()
    {
        var stage = Stages.Parse("""{ "pressure_mode": 1, "tps_value": 9 }""", executor: 0, executors: 3);
        var shape = (IArrivalShape)LoadShapes.For(stage, 0);
        Assert.Equal(30, shape.MaxUsers);
        stage.Place.Set(0, 1);
        Assert.Equal(90, shape.MaxUsers);
    }

    [Fact]
    public void A_place_outside_its_group_is_refused_and_the_old_one_kept()
    {
        var place = new GroupPlace(1, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => place.Set(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => place.Set(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => place.Set(0, 0));
        Assert.Equal((1, 3), place.Read());
    }

    [Fact]
    public void Stages_initialised_with_index_and_count_get_a_place_of_their_own()
    {
        var a = new StageSpec { ExecutorIndex = 2, ExecutorCount = 3, Count = 10, OperateMode = 1 };
        var b = new StageSpec { ExecutorIndex = 0, ExecutorCount = 3, Count = 10, OperateMode = 1 };
        a.Place.Set(0, 1);
        Assert.Equal((10, 4), (a.Iterations, b.Iterations));
    }
}
