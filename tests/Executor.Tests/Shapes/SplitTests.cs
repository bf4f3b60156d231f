using PerfTest.Executor.Load;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Every mode, split over 1..5 executors: the shares add up to the whole stage's curve at every second.</summary>
public sealed class SplitTests
{
    public static TheoryData<string> EveryMode => new()
    {
        """{ "pressure_mode": 0, "time": 30, "issue_num": 17, "current_user_num": 2, "ramp_up": 13 }""",
        """{ "pressure_mode": 1, "time": 30, "tps_value": 331, "current_tps": 7, "ramp_up": 11, "issue_num": 9 }""",
        """{ "pressure_mode": 2, "time": 30, "issue_num": 23, "current_user_num": 1, "ramp_up": 17 }""",
        """{ "pressure_mode": 3, "time": 30, "loop_count": 4, "max_duration": 3, "minimum": 3, "maximum": 19 }""",
        """{ "pressure_mode": 4, "time": 30, "loop_count": 3, "max_duration": 5, "minimum": 13, "maximum": 101 }""",
        """{ "pressure_mode": 5, "time": 30, "loop_count": 4, "minimum": 1, "maximum": 14 }""",
        """{ "pressure_mode": 6, "time": 30, "loop_count": 7, "minimum": 3, "maximum": 77 }""",
        """{ "pressure_mode": 7, "time": 30, "current_user_num": 3, "step_size": 7, "step_duration": 4, "issue_num": 40 }""",
        """{ "pressure_mode": 3, "voltage_regulating_mode": 1, "issue_num": 11 }""",
        """{ "pressure_mode": 6, "voltage_regulating_mode": 1, "tps_value": 53 }""",
    };

    [Theory]
    [MemberData(nameof(EveryMode))]
    public void Shares_add_up_to_the_total_at_every_second(string json)
    {
        var whole = LoadShapes.For(Stages.Parse(json), 0);
        for (var executors = 1; executors <= 5; executors++)
        {
            var parts = Enumerable.Range(0, executors).Select(i => LoadShapes.For(Stages.Parse(json, i, executors), 0)).ToList();
            for (var s = 0; s <= 30; s++)
            {
                var t = TimeSpan.FromSeconds(s + 0.5 * (s % 2)); // whole and half seconds
                switch (whole)
                {
                    case IConcurrencyShape users:
                        var userParts = parts.Select(Assert.IsAssignableFrom<IConcurrencyShape>).ToList();
                        Assert.Equal(users.UsersAt(t), userParts.Sum(p => p.UsersAt(t)));
                        Assert.All(userParts, p => Assert.InRange(p.UsersAt(t), 0, users.UsersAt(t)));
                        break;
                    case IArrivalShape arrivals:
                        var rate = arrivals.RateAt(t);
                        var rateParts = parts.Select(Assert.IsAssignableFrom<IArrivalShape>).ToList();
                        Assert.Equal(rate, rateParts.Sum(p => p.RateAt(t)), 9);
                        Assert.All(rateParts, p => Assert.InRange(p.RateAt(t), 0, rate));
                        break;
                    default:
                        Assert.Fail($"{whole.GetType().Name} is neither a concurrency nor an arrival shape");
                        break;
                }
            }
        }
    }

    [Fact]
    public void Count_mode_splits_the_count()
    {
        const string Json = """{ "pressure_mode": 0, "operate_mode": 1, "count": 1003, "issue_num": 4 }""";
        Assert.Equal(1003, Enumerable.Range(0, 4).Sum(i => Stages.Parse(Json, i, 4).Iterations));
        Assert.Equal(251, Stages.Parse(Json, 0, 4).Iterations);
    }
}
