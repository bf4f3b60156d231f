using System.Text.Json.Nodes;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// Load shapes end to end: the report's per-second curves follow the shape the unit tests define
/// (the same shape types, evaluated here for each second), and a manual stage follows the level set
/// through the REST API while it runs.
/// </summary>
public sealed class LoadShapeRunTests : RunTestBase
{
    private const string P = "/v1/" + RunHarness.Tenant;

    private async Task<JsonObject> RunToEndAsync(string stages)
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/delay/10").ToString(), stages);
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        return await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
    }

    /// <summary>The shape's level for each whole second of the stage (the value in force during that second).</summary>
    private static int[] Expected(string stage, int seconds)
    {
        var shape = (IConcurrencyShape)LoadShapes.For(StageSpec.Parse((JsonObject)JsonNode.Parse(stage)!, 0, 1), 0);
        return Enumerable.Range(0, seconds).Select(s => shape.UsersAt(TimeSpan.FromSeconds(s + 0.5))).ToArray();
    }

    [Fact]
    public async Task Surge_concurrency_vusers_follow_the_shape_second_by_second()
    {
        const string Stage = """{ "operate_mode": 0, "time": 8, "pressure_mode": 3, "minimum": 1, "maximum": 4, "loop_count": 2, "max_duration": 1 }""";
        var report = await RunToEndAsync($"[ {Stage} ]");
        var vusers = RunHarness.Curve(report, "vusers_brokens", "vusers").Select(v => (int)v).ToArray();
        var expected = Expected(Stage, 8);

        Assert.Equal(8, vusers.Length);
        Assert.Contains(4, expected);
        // The gauge is sampled at the end of each second; a level that changes right at a second's edge
        // may show one second late, so at most the seconds next to a change may differ.
        var differing = Enumerable.Range(0, 8).Where(s => vusers[s] != expected[s]).ToList();
        Assert.True(differing.All(s => s > 0 && expected[s] != expected[s - 1] || s + 1 < 8 && expected[s] != expected[s + 1]),
            $"vusers {string.Join(' ', vusers)} vs shape {string.Join(' ', expected)}");
        Assert.True(differing.Count <= 2, $"vusers {string.Join(' ', vusers)} vs shape {string.Join(' ', expected)}");
    }

    [Fact]
    public async Task Flapping_tps_follows_the_triangle_wave()
    {
        const string Stage = """{ "operate_mode": 0, "time": 8, "pressure_mode": 6, "minimum": 20, "maximum": 80, "loop_count": 1, "issue_num": 20 }""";
        var report = await RunToEndAsync($"[ {Stage} ]");
        var tps = RunHarness.Curve(report, "tps_brokens", "tps");
        var shape = (IArrivalShape)LoadShapes.For(StageSpec.Parse((JsonObject)JsonNode.Parse(Stage)!, 0, 1), 0);
        // Iterations started in second s: the rate integrated over that second (its mean, by the midpoint on a line).
        var expected = Enumerable.Range(0, 8).Select(s => shape.RateAt(TimeSpan.FromSeconds(s + 0.5))).ToArray();

        Assert.Equal(8, tps.Length);
        for (var s = 1; s < 8; s++)
        {
            Assert.True(Math.Abs(tps[s] - expected[s]) <= Math.Max(4, expected[s] * 0.15),
                $"second {s}: tps {string.Join(' ', tps)} vs shape {string.Join(' ', expected)}");
        }
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
