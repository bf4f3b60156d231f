using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>The run and report endpoints as documented (seeds 000, 001, 003 and 004 4.3.4, 4.6) and the SDK's v2 reads.</summary>
public sealed class RunApiTests : RunTestBase
{
    private const string P = "/v1/" + RunHarness.Tenant;
    private const string Success = "SVCSTG.CPTS.0000000";
    private Task<RunHarness.Created> ShortCase(int count = 20) =>
        Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(),
            $$"""[ { "name": "s", "operate_mode": 1, "count": {{count}}, "pressure_mode": 0, "issue_num": 2 } ]""");

    [Fact]
    public async Task Batch_start_answers_one_run_per_task_and_records_a_batch_that_v2_actions_replay()
    {
        var a = await ShortCase();
        var bTask = (await Run.Http.PostJsonAsync($"{P}/tasks", $$"""{"name":"t2","project_id":{{a.Project}}}""")).Object["task_id"]!.GetValue<long>();
        var bCase = (await Run.Http.PostJsonAsync($"{P}/task-cases", $$"""{"name":"c2","type":0,"task_id":{{bTask}}}""")).Object["json"]!["task_case_id"]!.GetValue<long>();
        var caseDoc = (await Run.TaskInfoAsync(a))["case_list"]![0]!;
        await Run.Http.PutJsonAsync($"{P}/task-cases/{bCase}/target/all", $$"""{ "name": "c2", "contents": {{caseDoc["contents"]!.ToJsonString()}}, "stages": {{caseDoc["stages"]!.ToJsonString()}} }""");

        // seed 000's example body, with our ids
        var body = $$"""
            { "enterprise_project_id" : "0", "type" : 1, "status" : 9, "without_package" : 0, "project_id" : {{a.Project}},
              "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "network_info" : { "network_type" : "internet" },
              "task_id_list" : [ {{a.Task}}, {{bTask}} ] }
            """;
        var r = await Run.Http.PostJsonAsync($"{P}/test-suites/{a.Project}/tasks/batch-update-task-status", body);
        Assert.True(r.Status == 200, r.Text);
        Assert.Equal(Success, r.Object["code"]!.GetValue<string>());
        var results = r.Object["result"]!.AsArray();
        Assert.Equal([a.Task, bTask], results.Select(x => x!["task_id"]!.GetValue<long>()));
        Assert.All(results, x => Assert.True(x!["task_run_id"]!.GetValue<long>() > 0));
        var batchId = r.Object["extend"]!["batch_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", batchId);
        await Run.WaitAsync(a);
        await Run.WaitAsync(new RunHarness.Created(a.Project, bTask, bCase));
        Assert.Equal(40, Target.Requests);

        var replay = await Run.Http.PutJsonAsync($"/v2/{RunHarness.Tenant}/batch-tasks/{batchId}/action/start", "{}");
        Assert.True(replay.Status == 200, replay.Text);
        Assert.Equal(2, replay.Object["total_count"]!.GetValue<int>());
        Assert.Equal(2, replay.Object["succeed_count"]!.GetValue<int>());
        Assert.Equal(0, replay.Object["failed_count"]!.GetValue<int>());
        Assert.Equal(batchId, replay.Object["id"]!.GetValue<string>());
        Assert.Empty(replay.Object["error_list"]!.AsArray());
        await Run.WaitAsync(a);
        await Run.WaitAsync(new RunHarness.Created(a.Project, bTask, bCase));
        Assert.Equal(80, Target.Requests);

        var stopIdle = await Run.Http.PutJsonAsync($"/v2/{RunHarness.Tenant}/batch-tasks/{batchId}/action/stop", "{}");
        Assert.Equal(2, stopIdle.Object["failed_count"]!.GetValue<int>());
        Assert.Equal(2, stopIdle.Object["error_list"]!.AsArray().Count);
        Assert.Equal(400, (await Run.Http.PutJsonAsync($"/v2/{RunHarness.Tenant}/batch-tasks/{batchId}/action/pause", "{}")).Status);
        var missing = await Run.Http.PutJsonAsync($"/v2/{RunHarness.Tenant}/batch-tasks/{new string('0', 32)}/action/start", "{}");
        Assert.Equal(404, missing.Status);
        Assert.NotNull(missing.Object["error_msg"]);
    }

    [Fact]
    public async Task Stages_run_in_order_and_serial_cases_run_one_after_the_other()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(),
            """[ { "name": "a", "operate_mode": 1, "count": 10, "pressure_mode": 0, "issue_num": 1 }, { "name": "b", "operate_mode": 1, "count": 25, "pressure_mode": 0, "issue_num": 5 } ]""");
        Assert.Equal(200, (await Run.Http.PutJsonAsync($"/v3/{RunHarness.Tenant}/tasks/{c.Task}",
            $$"""{ "name": "t", "parallel": false, "project_id": {{c.Project}}, "operate_mode": 2, "case_id_list": [] }""")).Status);
        var second = (await Run.Http.PostJsonAsync($"{P}/task-cases", $$"""{"name":"c2","type":0,"task_id":{{c.Task}}}""")).Object["json"]!["task_case_id"]!.GetValue<long>();
        var first = (await Run.TaskInfoAsync(c))["case_list"]![0]!;
        await Run.Http.PutJsonAsync($"{P}/task-cases/{second}/target/all",
            $$"""{ "name": "c2", "contents": {{first["contents"]!.ToJsonString()}}, "stages": [ { "operate_mode": 1, "count": 7, "pressure_mode": 0, "issue_num": 1 } ] }""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        Assert.Equal(42, Target.Requests);
        var cases = (await Run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/task-run-infos/{runId}/cases")).Object["result"]!["case_aw_info_list"]!.AsArray();
        Assert.Equal(2, cases.Count);
        var details = new List<JsonNode>();
        foreach (var caseInfo in cases)
        {
            var detail = await Run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/task-run-infos/{runId}/case-run-infos/{caseInfo!["case_uri_i"]}/detail");
            details.Add(detail.Object["result"]!["detail"]!["performance"]!);
        }
        Assert.Equal([35L, 7L], details.Select(d => d["requests"]!.GetValue<long>()));
        Assert.True(string.CompareOrdinal(details[1]["startTime"]!.GetValue<string>(), details[0]["endTime"]!.GetValue<string>()) >= 0,
            "the second case started before the first ended");
    }

    [Fact]
    public async Task A_case_that_cannot_run_is_refused_at_start_naming_the_card()
    {
        var c = await ShortCase();
        await Run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/content",
            """{ "contents": [ { "content": [ { "content_type": 2, "content": { "protocol_type": 11, "url": "mqtt://127.0.0.1:9" } } ] } ] }""");
        var r = await Run.Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");
        Assert.Equal(400, r.Status);
        Assert.Contains("contents[0].content[0].content.topic is required", r.Object["error_msg"]!.GetValue<string>());
        Assert.Equal(409, (await Run.StopAsync(c)).Status);
    }

    [Fact]
    public async Task Debug_runs_the_case_once_for_real_and_shows_each_exchange()
    {
        var c = await ShortCase();
        // 4.3.4's example body
        var r = await Run.Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        var result = r.Object["result"]!.AsArray().Single()!;
        Assert.Equal(1, Target.Requests);
        Assert.Equal(1, result["result"]!.GetValue<int>());
        Assert.Equal("200 OK", result["statusCode"]!.GetValue<string>());
        Assert.Equal("ok", result["returnBody"]!.GetValue<string>());
        Assert.Equal("req-1", result["name"]!.GetValue<string>());
        Assert.StartsWith("GET http://127.0.0.1:", result["url"]!.GetValue<string>());
        Assert.Equal("text/plain", result["header"]!["Accept"]!.GetValue<string>());
        Assert.Contains("text/plain", result["returnHeader"]!["Content-Type"]!.GetValue<string>());
        Assert.True(result["responseTime"]!.GetValue<long>() >= 0);
    }

    [Fact]
    public async Task History_related_running_data_and_the_v2_report_reads_describe_the_run()
    {
        var c = await ShortCase(50);
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);

        var info = await Run.TaskInfoAsync(c);
        var related = info["related_temp_running_data"]![0]!;
        Assert.Equal(runId, related["task_run_info_id"]!.GetValue<long>());
        Assert.Equal(c.Case, related["temp_id"]!.GetValue<long>());
        Assert.Equal(2, related["temp_running_status"]!.GetValue<int>());
        Assert.StartsWith("req-1#GET#http://127.0.0.1:", related["content_method_url"]![0]!.GetValue<string>());
        var caseRunId = related["related_temp_running_id"]!.GetValue<long>();
        Assert.Equal(runId, (await Run.Http.GetJsonAsync($"{P}/all-tasks/{c.Project}")).Object["tasks"]![0]!["task_run_info"]!["id"]!.GetValue<long>());

        var history = await Run.Http.GetJsonAsync($"{P}/tasks/history-run-list/{c.Task}");
        var log = history.Object["log_list"]!.AsArray().Single()!;
        Assert.Equal(runId, log["run_id"]!.GetValue<long>());
        Assert.Equal("c", log["temp_names"]![0]!["name"]!.GetValue<string>());
        Assert.NotNull(log["end_time"]);

        var report = await Run.ReportAsync(runId, caseRunId, points: 3);
        Assert.True(report["brokens"]!["commonTimestamps"]!.AsArray().Count <= 3);
        Assert.Equal(50, RunHarness.Performance(report)["requests"]!.GetValue<long>());
        Assert.Equal(9, report["respTimeRange"]!.AsObject().Count);
        Assert.Equal(400, (await Run.Http.GetJsonAsync($"{P}/task-run-infos/{runId}/case-run-infos/{caseRunId}/reports")).Status);
        Assert.Equal(404, (await Run.Http.GetJsonAsync($"{P}/task-run-infos/{runId}/case-run-infos/{caseRunId + 1000}/reports?brokens_limit_count=5")).Status);

        var v2 = $"/v2/{RunHarness.Tenant}/task-run-infos/{runId}";
        var cases = await Run.Http.GetJsonAsync($"{v2}/cases");
        var caseInfo = cases.Object["result"]!["case_aw_info_list"]![0]!;
        Assert.Equal(caseRunId.ToString(System.Globalization.CultureInfo.InvariantCulture), caseInfo["case_uri_i"]!.GetValue<string>());
        var awId = caseInfo["aw"]![0]!["id"]!.GetValue<string>();

        var outline = await Run.Http.GetJsonAsync($"{v2}/reports/log-outline");
        Assert.Equal(50, outline.Object["result"]!["outline"]!["core_index"]!["request_count"]!.GetValue<long>());

        var detail = await Run.Http.GetJsonAsync($"{v2}/case-run-infos/{caseRunId}/detail");
        Assert.Equal(50, detail.Object["result"]!["detail"]!["performance"]!["requests"]!.GetValue<long>());
        Assert.Equal(50, detail.Object["result"]!["detail"]!["detailDatas"]![0]!["requests"]!.GetValue<long>());

        var chart = await Run.Http.GetJsonAsync($"{v2}/case-run-infos/{caseRunId}/detail/{awId}/chart");
        Assert.Equal(50, chart.Object["result"]!["broken_list"]!["tps_brokens"]!["tps"]!.AsArray().Sum(v => v!.GetValue<double>()));
        Assert.Equal(404, (await Run.Http.GetJsonAsync($"{v2}/case-run-infos/{caseRunId}/detail/{caseRunId}-99/chart")).Status);
    }
}
