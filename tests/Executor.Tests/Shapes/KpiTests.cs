using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>peak_load_kpis: comparisons, the mode 2 cumulative judge and the mode 7 limit search.</summary>
public sealed class KpiTests
{
    private static PeakLoadKpis Kpis(string kpis, int mode = 2, int stageIndex = 0) =>
        Stages.Parse($$"""{ "pressure_mode": {{mode}}, "peak_load_kpis": {{kpis}} }""", stageIndex: stageIndex).Kpis;

    [Theory]
    [InlineData("<", 199.9, true)]
    [InlineData("<", 200, false)]
    [InlineData("<=", 200, true)]
    [InlineData("<=", 200.1, false)]
    [InlineData(">", 200.1, true)]
    [InlineData(">", 200, false)]
    [InlineData(">=", 200, true)]
    [InlineData(">=", 199, false)]
    [InlineData("==", 200, true)]
    [InlineData("==", 201, false)]
    [InlineData("!=", 201, true)]
    [InlineData("!=", 200, false)]
    public void Average_response_time_compares_as_written(string comparison, double averageMs, bool holds)
    {
        var kpis = Kpis($$"""{ "average_response_time": { "comparison": "{{comparison}}", "value": 200 } }""");
        Assert.Equal(holds ? null : PeakLoadKpis.AverageResponseTime, kpis.Evaluate(10, 10, averageMs));
    }

    [Fact]
    public void Success_rate_is_a_percentage_of_requests()
    {
        var kpis = Kpis("""{ "success_rate": { "comparison": ">=", "value": 99 } }""");
        Assert.Null(kpis.Evaluate(1000, 990, 5));
        Assert.Equal(PeakLoadKpis.SuccessRate, kpis.Evaluate(1000, 989, 5));
        Assert.Null(kpis.Evaluate(0, 0, 0)); // no request, no evidence
    }

    [Fact]
    public void Average_response_time_is_judged_before_success_rate()
    {
        var kpis = Kpis("""{ "average_response_time": { "comparison": "<", "value": 100 }, "success_rate": { "comparison": "==", "value": 100 } }""");
        Assert.Equal(PeakLoadKpis.AverageResponseTime, kpis.Evaluate(10, 5, 150));
        Assert.Equal(PeakLoadKpis.SuccessRate, kpis.Evaluate(10, 5, 50));
        Assert.Null(kpis.Evaluate(10, 10, 50));
    }

    [Fact]
    public void An_unknown_comparison_is_refused_naming_the_field()
    {
        var e = Assert.Throws<ScriptException>(() => Kpis("""{ "success_rate": { "comparison": "=>", "value": 99 } }""", stageIndex: 3));
        Assert.Contains("stages[3].peak_load_kpis.success_rate.comparison", e.Message);
        Assert.Contains("stages[0].peak_load_kpis.average_response_time.value",
            Assert.Throws<ScriptException>(() => Kpis("""{ "average_response_time": { "comparison": "<" } }""", 7)).Message);
    }

    [Fact]
    public void Modes_without_kpis_ignore_the_block_and_empty_items_are_absent()
    {
        Assert.False(Kpis("""{ "success_rate": { "comparison": "??", "value": 99 } }""", mode: 0).Any);
        Assert.False(Kpis("""{ "success_rate": {}, "average_response_time": null }""").Any);
    }

    [Fact]
    public void Mode_2_judges_the_stage_so_far_not_the_last_second()
    {
        var judge = new CumulativeKpiJudge(Kpis("""{ "average_response_time": { "comparison": "<=", "value": 200 } }"""));
        // One slow second after nine fast ones: cumulative average 155 ms still holds.
        Assert.Null(judge.Observe(9, Totals(1000, 1000, 155), Totals(100, 100, 600)));
        Assert.Equal(PeakLoadKpis.AverageResponseTime, judge.Observe(10, Totals(1100, 1100, 201), Totals(100, 100, 650)));
        Assert.Equal(TimeSpan.FromSeconds(1), judge.Period);
    }

    [Theory]
    [InlineData(200, 75)]  // latency 50 + 2u ms: average <= 200 up to 75 VUs
    [InlineData(90, 20)]
    [InlineData(1000, 475)]
    public void Mode_7_finds_the_limit_within_one_step_of_the_true_one(double maxAverageMs, int trueLimit)
    {
        var stage = Stages.Parse($$"""
            { "pressure_mode": 7, "current_user_num": 10, "step_size": 10, "step_duration": 30, "issue_num": 1000,
              "peak_load_kpis": { "average_response_time": { "comparison": "<=", "value": {{maxAverageMs}} } } }
            """);
        var shape = Assert.IsType<SteppedUsers>(LoadShapes.For(stage, 0));
        var search = new StepLimitSearch(stage.Kpis, shape.StepDuration, shape.TotalOfStep);
        var broken = RunSteps(search, shape, users => Totals(1000, 1000, 50 + 2.0 * users));
        Assert.Equal(PeakLoadKpis.AverageResponseTime, broken);
        var limit = Assert.IsType<StepResult>(search.LastHeld);
        Assert.InRange(trueLimit - limit.TotalUsers, 0, stage.StepSize);
        Assert.Equal(50 + 2.0 * limit.TotalUsers, limit.AverageResponseMs, 6);
        Assert.Equal(shape.TotalOfStep(limit.Step), limit.TotalUsers);
    }

    [Fact]
    public void Mode_7_on_success_rate_and_when_no_step_holds()
    {
        var stage = Stages.Parse("""
            { "pressure_mode": 7, "current_user_num": 5, "step_size": 5, "step_duration": 10, "issue_num": 500,
              "peak_load_kpis": { "success_rate": { "comparison": ">=", "value": 99 } } }
            """);
        var shape = Assert.IsType<SteppedUsers>(LoadShapes.For(stage, 0));
        var search = new StepLimitSearch(stage.Kpis, shape.StepDuration, shape.TotalOfStep);
        // Errors start above 63 VUs.
        Assert.Equal(PeakLoadKpis.SuccessRate, RunSteps(search, shape, users => Totals(1000, users > 63 ? 900 : 1000, 10)));
        Assert.Equal(60, search.LastHeld?.TotalUsers);

        var failing = new StepLimitSearch(stage.Kpis, shape.StepDuration, shape.TotalOfStep);
        Assert.Equal(PeakLoadKpis.SuccessRate, RunSteps(failing, shape, _ => Totals(1000, 0, 10)));
        Assert.Null(failing.LastHeld);
    }

    [Fact]
    public void A_step_without_requests_neither_breaks_nor_holds()
    {
        var stage = Stages.Parse("""{ "pressure_mode": 7, "step_size": 5, "step_duration": 10, "issue_num": 50, "peak_load_kpis": { "success_rate": { "comparison": ">", "value": 50 } } }""");
        var shape = Assert.IsType<SteppedUsers>(LoadShapes.For(stage, 0));
        var search = new StepLimitSearch(stage.Kpis, shape.StepDuration, shape.TotalOfStep);
        Assert.Null(search.Observe(0, default, default));
        Assert.Null(search.LastHeld);
        Assert.Null(search.Observe(1, Totals(10, 10, 1), Totals(10, 10, 1)));
        Assert.Equal(10, search.LastHeld?.TotalUsers);
    }

    /// <summary>Feeds the search one synthetic step after another, as the runner does at step ends; returns the broken KPI.</summary>
    private static string? RunSteps(StepLimitSearch search, SteppedUsers shape, Func<int, RecorderTotals> stepResult)
    {
        var sinceStart = default(RecorderTotals);
        for (var step = 0; step < 1000; step++)
        {
            var window = stepResult(shape.TotalOfStep(step));
            sinceStart += window;
            if (search.Observe(step, sinceStart, window) is { } broken)
            {
                return broken;
            }
        }
        return null;
    }

    private static RecorderTotals Totals(long requests, long successes, double averageMs) =>
        new(requests, successes, (long)Math.Round(averageMs * 1000 * requests));
}
