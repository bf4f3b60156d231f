using PerfTest.Executor.Load;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Mode 7: current_user_num, plus step_size every step_duration seconds, up to issue_num.</summary>
public sealed class SteppedUsersTests
{
    [Fact]
    public void Steps_climb_by_step_size_every_step_duration_and_hold_at_issue_num()
    {
        var shape = new SteppedUsers(Stages.Parse("""{ "pressure_mode": 7, "current_user_num": 10, "step_size": 5, "step_duration": 3, "issue_num": 22 }"""));
        int[] expected = [10, 10, 10, 15, 15, 15, 20, 20, 20, 22, 22, 22, 22, 22, 22];
        Assert.Equal(expected, Stages.Users(shape, 15));
    }

    [Fact]
    public void Step_boundaries_are_exact()
    {
        var shape = new SteppedUsers(Stages.Parse("""{ "pressure_mode": 7, "current_user_num": 10, "step_size": 5, "step_duration": 3, "issue_num": 22 }"""));
        Assert.Equal(0, shape.StepAt(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1)));
        Assert.Equal(1, shape.StepAt(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(3), shape.StepDuration);
        Assert.Equal([10, 15, 20, 22, 22], Enumerable.Range(0, 5).Select(shape.TotalOfStep));
    }

    [Fact]
    public void Without_current_user_num_the_first_step_is_one_step_size()
    {
        var shape = new SteppedUsers(Stages.Parse("""{ "pressure_mode": 7, "step_size": 4, "step_duration": 1, "issue_num": 100 }"""));
        Assert.Equal([4, 8, 12, 16], Stages.Users(shape, 4));
    }
}
