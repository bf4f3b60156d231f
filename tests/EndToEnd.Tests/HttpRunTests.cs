using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests;

/// <summary>Runs through the REST API on the embedded executor against a real local target.</summary>
public sealed class HttpRunTests(ITestOutputHelper output) : RunTestBase
{
    [Fact]
    public async Task The_report_counts_exactly_the_requests_theTarget_answered()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 4 } ]""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var report = await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
        var performance = RunHarness.Performance(report);
        output.WriteLine($"target saw {Target.Requests}, report {performance["requests"]}, tps {performance["tps"]}");
        Assert.True(Target.Requests > 100, $"only {Target.Requests} requests");
        Assert.Equal(Target.Requests, performance["requests"]!.GetValue<long>());
        Assert.Equal(Target.Requests, performance["sum2xx"]!.GetValue<long>());
        Assert.Equal(Target.Requests, RunHarness.Curve(report, "tps_brokens", "tps").Sum(), 3);
        Assert.Equal(2, (await Run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());
        var detail = report["details"]!["data"]![0]!["detailDatas"]![0]!;
        Assert.Equal("req-1", detail["name"]!.GetValue<string>());
        Assert.Equal(Target.Requests, detail["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task With_aTarget_answering_after_20_ms_tp50_is_between_20_and_23_ms()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/delay/20").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 5 } ]""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var performance = RunHarness.Performance(await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c)));
        var tp50 = performance["tp50"]!.GetValue<double>();
        output.WriteLine($"tp50 {tp50} ms, tp99 {performance["tp99"]}, requests {performance["requests"]}");
        Assert.InRange(tp50, 20, 23);
        Assert.Equal(Target.Requests, performance["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Failed_statuses_are_counted_as_checkpoint_failures_with_their_class()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/status/503").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 50, "pressure_mode": 0, "issue_num": 2 } ]""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var performance = RunHarness.Performance(await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c)));
        Assert.Equal(50, performance["requests"]!.GetValue<long>());
        Assert.Equal(50, performance["failedAssert"]!.GetValue<long>());
        Assert.Equal(50, performance["sum5xx"]!.GetValue<long>());
        Assert.Equal(0, performance["successCount"]!.GetValue<long>());
        Assert.Equal(50, Target.Requests);
    }

    [Fact]
    public async Task A_stop_mid_run_ends_within_2_s_and_keeps_the_seconds_recorded()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 60, "pressure_mode": 0, "issue_num": 3 } ]""");
        var runId = await Run.StartAsync(c);
        await Target.FirstRequest;
        var second = await Run.Http.GetJsonAsync($"/v1/{RunHarness.Tenant}/tasks/{c.Task}");
        Assert.Equal(0, second.Object["taskInfo"]!["run_status"]!.GetValue<int>());
        Assert.Equal(409, (await Run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""")).Status);
        await Target.WaitForMoreSecondsAsync(3); // load over a few whole seconds before the stop
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var stop = await Run.StopAsync(c);
        Assert.Equal(200, stop.Status);
        Assert.Equal(runId, stop.Object["result"]!["task_run_id"]!.GetValue<long>());
        await Run.WaitAsync(c);
        stopwatch.Stop();
        output.WriteLine($"stopped in {stopwatch.ElapsedMilliseconds} ms; target saw {Target.Requests}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"the stop took {stopwatch.Elapsed}");
        var info = await Run.TaskInfoAsync(c);
        Assert.Contains(info["run_status"]!.GetValue<int>(), new[] { 4, 5 });
        var report = await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
        Assert.Equal(Target.Requests, RunHarness.Performance(report)["requests"]!.GetValue<long>());
        var tps = RunHarness.Curve(report, "tps_brokens", "tps");
        Assert.True(tps.Length >= 2, $"{tps.Length} seconds recorded");
        Assert.All(tps[1..^1], point => Assert.True(point > 0, "a whole second before the stop has no request"));
    }
}
