using PerfTest.Executor.Load;
using PerfTest.Executor.Scripting;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Stages that cannot run are refused when the plan compiles, naming the field.</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData("""{ "pressure_mode": 3, "time": 20, "loop_count": 2, "max_duration": 2, "minimum": 9, "maximum": 5 }""", "stages[4].maximum 5 is less than minimum 9")]
    [InlineData("""{ "pressure_mode": 5, "time": 20, "loop_count": 2, "minimum": 9, "maximum": 5 }""", "stages[4].maximum")]
    [InlineData("""{ "pressure_mode": 4, "time": 20, "max_duration": 2, "minimum": 1, "maximum": 5 }""", "stages[4].loop_count")]
    [InlineData("""{ "pressure_mode": 6, "time": 20, "loop_count": 0, "minimum": 1, "maximum": 5 }""", "stages[4].loop_count")]
    [InlineData("""{ "pressure_mode": 5, "operate_mode": 1, "count": 10, "loop_count": 2, "minimum": 1, "maximum": 5 }""", "stages[4].time")]
    [InlineData("""{ "pressure_mode": 3, "time": 20, "loop_count": 3, "max_duration": 7, "minimum": 1, "maximum": 5 }""", "stages[4].max_duration 7 is longer than a period (6 s")]
    [InlineData("""{ "pressure_mode": 4, "time": 20, "loop_count": 3, "minimum": 1, "maximum": 5 }""", "stages[4].max_duration must be at least 1")]
    [InlineData("""{ "pressure_mode": 7, "time": 20, "step_duration": 2, "issue_num": 10 }""", "stages[4].step_size")]
    [InlineData("""{ "pressure_mode": 7, "time": 20, "step_size": 2, "issue_num": 10 }""", "stages[4].step_duration")]
    [InlineData("""{ "pressure_mode": 7, "time": 20, "step_size": 2, "step_duration": 2 }""", "stages[4].issue_num")]
    public void Impossible_stages_are_refused_naming_the_field(string json, string expected)
    {
        var e = Assert.Throws<ScriptException>(() => LoadShapes.For(Stages.Parse(json), 4));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_manual_stage_does_not_need_the_curve_parameters()
    {
        Assert.IsType<ManualUsers>(LoadShapes.For(Stages.Parse("""{ "pressure_mode": 3, "voltage_regulating_mode": 1, "issue_num": 5 }"""), 0));
    }
}
