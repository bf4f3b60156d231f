using System.Text.Json.Nodes;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Planning;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// Load shapes end to end: the report's per-second curves follow the shape the unit tests define
/// (the same shape types, evaluated here for each second), and a manual stage follows the level set
/// through the REST API while it runs.
/// </summary>
public sealed class LoadShapeRunTests(ITestOutputHelper output) : RunTestBase
{
    private const string P = "/v1/" + RunHarness.Tenant;

    private async Task<JsonObject> RunToEndAsync(string stages)
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/delay/10").ToString(), stages);
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        return await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
    }

    /// <summary>
    /// The levels the report may show for each whole second of the stage: the VU gauge is read when the second
    /// is rotated (its end, give or take a few ms), and the runner applies the shape every 100 ms, so the value
    /// is the shape's somewhere in [end - 0.15 s, end + 0.15 s].
    /// </summary>
    private static (int Min, int Max)[] Expected(string stage, int seconds)
    {
        var shape = Assert.IsAssignableFrom<IConcurrencyShape>(LoadShapes.For(StageSpec.From(StageReader.Read((JsonObject)JsonNode.Parse(stage)!, 0), 0, 1), 0));
        return Enumerable.Range(0, seconds).Select(s =>
        {
            var levels = Enumerable.Range(0, 31).Select(i => shape.UsersAt(TimeSpan.FromSeconds(s + 0.85 + i * 0.01))).ToList();
            return (levels.Min(), levels.Max());
        }).ToArray();
    }

    [Theory]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 2, "current_user_num": 1, "issue_num": 4, "ramp_up": 4 }""")]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 3, "minimum": 1, "maximum": 4, "loop_count": 2, "max_duration": 1 }""")]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 5, "minimum": 1, "maximum": 5, "loop_count": 1 }""")]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 7, "current_user_num": 1, "step_size": 2, "step_duration": 2, "issue_num": 6 }""")]
    public async Task Concurrency_shapes_vusers_follow_the_shape_second_by_second(string stage)
    {
        var report = await RunToEndAsync($"[ {stage} ]");
        var vusers = RunHarness.Curve(report, "vusers_brokens", "vusers").Select(v => (int)v).ToArray();
        var expected = Expected(stage, 8);
        var shown = $"vusers {string.Join(' ', vusers)} vs shape {string.Join(' ', expected.Select(e => e.Min == e.Max ? $"{e.Min}" : $"{e.Min}-{e.Max}"))}";
        output.WriteLine(shown);

        Assert.Equal(8, vusers.Length);
        Assert.True(expected.Select(e => e.Max).Distinct().Count() > 1, "the shape changes");
        // Levels the shape holds through the middle of a second must show: its highest and its lowest.
        var shape = Assert.IsAssignableFrom<IConcurrencyShape>(LoadShapes.For(StageSpec.From(StageReader.Read((JsonObject)JsonNode.Parse(stage)!, 0), 0, 1), 0));
        var held = Enumerable.Range(0, 8).Select(s => Enumerable.Range(0, 31).Select(i => shape.UsersAt(TimeSpan.FromSeconds(s + 0.35 + i * 0.01))).ToList()).ToList();
        Assert.True(vusers.Max() >= held.Max(l => l.Min()), $"the peak: {shown}");
        Assert.True(vusers.Min() <= held.Min(l => l.Max()), $"the lowest level: {shown}");
        Assert.All(Enumerable.Range(0, 8), s => Assert.True(vusers[s] >= expected[s].Min && vusers[s] <= expected[s].Max, $"second {s}: {shown}"));
    }

    [Theory]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 4, "minimum": 20, "maximum": 60, "loop_count": 2, "max_duration": 2, "issue_num": 20 }""")]
    [InlineData("""{ "operate_mode": 0, "time": 8, "pressure_mode": 6, "minimum": 20, "maximum": 80, "loop_count": 1, "issue_num": 20 }""")]
    public async Task Tps_shapes_follow_the_shape_second_by_second(string stage)
    {
        var report = await RunToEndAsync($"[ {stage} ]");
        var tps = RunHarness.Curve(report, "tps_brokens", "tps");
        var shape = Assert.IsAssignableFrom<IArrivalShape>(LoadShapes.For(StageSpec.From(StageReader.Read((JsonObject)JsonNode.Parse(stage)!, 0), 0, 1), 0));
        // Iterations started in second s: the rate over that second (its mean, the midpoint's on a line or a step).
        var expected = Enumerable.Range(0, 8).Select(s => shape.RateAt(TimeSpan.FromSeconds(s + 0.5))).ToArray();
        var shown = $"tps {string.Join(' ', tps)} vs shape {string.Join(' ', expected)}";
        output.WriteLine(shown);

        Assert.Equal(8, tps.Length);
        // A request the shared machine delays past a second's end counts in the next one (the sum holds), so the
        // shape is checked over each pair of seconds, and the running total (arrivals so far) at each second.
        for (var s = 2; s < 8; s++)
        {
            double pair = tps[s - 1] + tps[s], expectedPair = expected[s - 1] + expected[s];
            Assert.True(Math.Abs(pair - expectedPair) <= Math.Max(4, expectedPair * 0.15), $"seconds {s - 1}-{s}: {shown}");
            double sum = tps[1..(s + 1)].Sum(), expectedSum = expected[1..(s + 1)].Sum();
            Assert.True(Math.Abs(sum - expectedSum) <= Math.Max(4, expectedSum * 0.05), $"seconds 1-{s}: {shown}");
        }
    }

    [Fact]
    public async Task Intelligent_high_pressure_finds_the_concurrency_limit_within_one_step()
    {
        // Each request takes 10 ms per request in flight, so n VUs see about 10 n ms: an average of at
        // most 55 ms holds up to 5 VUs and breaks at 6.
        const string Stage = """{ "operate_mode": 0, "time": 40, "pressure_mode": 7, "current_user_num": 1, "step_size": 1, "step_duration": 2, "issue_num": 12, "peak_load_kpis": { "average_response_time": { "comparison": "<=", "value": 55 } } }""";
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/load/10").ToString(), $"[ {Stage} ]");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var report = await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));

        var result = (JsonObject)report["outline"]!["stage_results"]![0]!;
        Assert.Equal("kpi:average_response_time", result["ended_by"]!.GetValue<string>());
        var limit = result["estimated_concurrency"]!.GetValue<int>();
        output.WriteLine($"limit {limit} VUs at {result["maxRespTime"]} ms; vusers {string.Join(' ', RunHarness.Curve(report, "vusers_brokens", "vusers"))}");
        Assert.InRange(limit, 4, 6);
        Assert.InRange(result["maxRespTime"]!.GetValue<double>(), 1, 55);
        // It stopped at the first broken step, long before its 40 s.
        Assert.True(RunHarness.Curve(report, "vusers_brokens", "vusers").Length < 30);
    }

    [Fact]
    public async Task A_high_pressure_stage_ends_early_when_a_kpi_breaks_and_the_report_says_why()
    {
        const string Stage = """{ "operate_mode": 0, "time": 40, "pressure_mode": 2, "issue_num": 2, "peak_load_kpis": { "success_rate": { "comparison": ">=", "value": 99 } } }""";
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/status/500").ToString(), $"[ {Stage} ]");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var report = await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));

        Assert.Equal("kpi:success_rate", report["outline"]!["stage_results"]![0]!["ended_by"]!.GetValue<string>());
        Assert.True(RunHarness.Curve(report, "vusers_brokens", "vusers").Length < 30);
    }

    [Fact]
    public async Task A_manual_stage_holds_its_level_until_the_api_changes_it()
    {
        const string Stage = """{ "operate_mode": 0, "time": 6, "pressure_mode": 0, "issue_num": 2, "voltage_regulating_mode": 1 }""";
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/delay/10").ToString(), $"[ {Stage} ]");
        var runId = await Run.StartAsync(c);
        await Target.WaitForMoreSecondsAsync(2);  // two seconds of load at the first level

        var r = await Run.Http.PutJsonAsync($"{P}/task-run-infos/{runId}/stage-level", """{ "level": 5 }""");
        Assert.True(r.Status == 200, r.Text);
        Assert.Equal(5, r.Object["level"]!.GetValue<int>());
        await Run.WaitAsync(c);

        var vusers = RunHarness.Curve(await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c)), "vusers_brokens", "vusers");
        var shown = string.Join(' ', vusers);
        Assert.True(vusers.Length >= 5, shown);
        Assert.True(vusers[0] == 2, shown);
        Assert.True(vusers.SkipWhile(v => v == 2).All(v => v == 5), shown);  // 2, then 5 from the change on
        Assert.Equal(5, vusers[^1]);

        // Once the run is over there is nothing to regulate.
        var late = await Run.Http.PutJsonAsync($"{P}/task-run-infos/{runId}/stage-level", """{ "level": 3 }""");
        Assert.Equal(409, late.Status);
        Assert.Contains("is not running", late.Object["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_the_level_of_an_automatic_stage_is_a_conflict_that_says_why()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/delay/10").ToString(),
            """[ { "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 1 } ]""");
        var runId = await Run.StartAsync(c);
        await Target.FirstRequest;
        var r = await Run.Http.PutJsonAsync($"{P}/task-run-infos/{runId}/stage-level", """{ "level": 3 }""");
        Assert.Equal(409, r.Status);
        Assert.Contains("voltage_regulating_mode 1", r.Object["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        var bad = await Run.Http.PutJsonAsync($"{P}/task-run-infos/{runId}/stage-level", """{ "level": -1 }""");
        Assert.Equal(400, bad.Status);
        await Run.WaitAsync(c);
    }
}
