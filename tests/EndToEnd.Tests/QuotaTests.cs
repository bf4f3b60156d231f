using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// The Limits section against a real control plane: a case over a stage limit is refused at save and at start, a task
/// over its case count at create, a tenant over its concurrent runs or running VUs at start; each with 400
/// CPTS.04000003 naming the member, the limit and its key, and nothing stored or started.
/// </summary>
public sealed class QuotaTests : RunTestBase
{
    private const string Quota = "CPTS.04000003";

    protected override IDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Limits:Executor:MaxVus"] = "100",
        ["Limits:Executor:MaxTps"] = "1000",
        ["Limits:Executor:MaxConnections"] = "150",
        ["Limits:Tenant:MaxConcurrentRuns"] = "2",
        ["Limits:Tenant:MaxRunningVus"] = "50",
        ["Limits:MaxCasesPerTask"] = "2",
    };

    private string Ok => new Uri(Target.BaseAddress, "/ok").ToString();

    private static string Stage(int vus) => $$"""[ { "name": "s", "operate_mode": 0, "time": 120, "pressure_mode": 0, "issue_num": {{vus}} } ]""";

    [Fact]
    public async Task A_stage_over_an_executor_limit_is_refused_at_save_naming_member_and_limit_and_is_not_stored()
    {
        var c = await Run.CreateAsync(Ok, Stage(3));
        var stagePath = $"{V1}/task-cases/{c.Case}/target/stage";

        AssertQuota(await Run.Http.PutJsonAsync(stagePath, $$"""{ "stages": {{Stage(101)}} }"""),
            "stages[0].issue_num is 101; the limit is 100 VUs (configuration key Limits:Executor:MaxVus)");
        AssertQuota(await Run.Http.PutJsonAsync(stagePath,
            """{ "stages": [ { "operate_mode": 0, "time": 9, "pressure_mode": 1, "tps_value": 20, "current_tps": 1001, "ramp_up": 3 } ] }"""),
            "stages[0].current_tps is 1001; the limit is 1000 iterations per second (configuration key Limits:Executor:MaxTps)");
        AssertQuota(await Run.Http.PutJsonAsync(stagePath,
            """{ "stages": [ { "operate_mode": 0, "time": 9, "pressure_mode": 3, "minimum": 1, "maximum": 200, "loop_count": 1, "max_duration": 1 } ] }"""),
            "stages[0].maximum is 200; the limit is 100 VUs (configuration key Limits:Executor:MaxVus)");
        // 80 VUs is within MaxVus, but each keeps a connection to each of the two targets: 160 > 150.
        var twoTargets = $$"""
            { "name": "c", "stages": {{Stage(80)}}, "contents": [ { "content": [
              { "content_type": 2, "content": { "name": "a", "method": "GET", "url": "{{Ok}}", "protocol_type": 1 } },
              { "content_type": 2, "content": { "name": "b", "method": "GET", "url": "http://127.0.0.2:9/x", "protocol_type": 1 } } ] } ] }
            """;
        AssertQuota(await Run.Http.PutJsonAsync($"{V1}/task-cases/{c.Case}/target/all", twoTargets),
            "stages[0] opens up to 160 connections (80 VUs × 2 targets); the limit is 150 (Limits:Executor:MaxConnections)");

        var directory = (await Run.Http.PostJsonAsync($"{V1}/test-suites/{c.Project}/directory", """{ "name": "d" }""")).Object["directory_id"]!.GetValue<long>();
        var v2 = $$"""{ "name": "v2", "directory_id": {{directory}}, "contents": [], "stages": {{Stage(500)}} }""";
        AssertQuota(await Run.Http.PostJsonAsync($"/v2/{RunHarness.Tenant}/test-cases", v2),
            "stages[0].issue_num is 500; the limit is 100 VUs (configuration key Limits:Executor:MaxVus)");
        var created = await Run.Http.PostJsonAsync($"/v2/{RunHarness.Tenant}/test-cases", v2.Replace("500", "5", StringComparison.Ordinal));
        Assert.True(created.Status == 201, created.Text);
        var v2Id = created.Object["json"]!["test_case_id"]!.GetValue<long>();
        AssertQuota(await Run.Http.PutJsonAsync($"/v2/{RunHarness.Tenant}/test-cases/{v2Id}", v2),
            "stages[0].issue_num is 500; the limit is 100 VUs (configuration key Limits:Executor:MaxVus)");

        var stored = (await Run.TaskInfoAsync(c))["case_list"]![0]!["stages"]![0]!;
        Assert.Equal(3, stored["issue_num"]!.GetValue<int>());
        var storedV2 = (await Run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/test-cases/{v2Id}")).Object["test_case"]!["stages"]![0]!;
        Assert.Equal(5, storedV2["issue_num"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_task_over_its_case_limit_is_refused_at_create_and_a_case_past_it_is_not_added()
    {
        var c = await Run.CreateAsync(Ok, Stage(1));
        Assert.Equal(201, (await Run.Http.PostJsonAsync($"{V1}/task-cases", $$"""{"name":"c2","type":0,"task_id":{{c.Task}}}""")).Status);
        AssertQuota(await Run.Http.PostJsonAsync($"{V1}/task-cases", $$"""{"name":"c3","type":0,"task_id":{{c.Task}}}"""),
            $"task {c.Task} has 3 cases; the limit is 2 (Limits:MaxCasesPerTask)");
        Assert.Equal(2, (await Run.TaskInfoAsync(c))["case_list"]!.AsArray().Count);

        var directory = (await Run.Http.PostJsonAsync($"{V1}/test-suites/{c.Project}/directory", """{ "name": "d" }""")).Object["directory_id"]!.GetValue<long>();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Run.Http.PostJsonAsync($"/v2/{RunHarness.Tenant}/test-cases",
                $$"""{ "name": "v{{i}}", "directory_id": {{directory}}, "contents": [], "stages": [] }""")).Object["json"]!["test_case_id"]!.GetValue<long>());
        }
        AssertQuota(await Run.Http.PostJsonAsync($"/v3/{RunHarness.Tenant}/tasks",
                $$"""{ "name": "t3", "parallel": true, "operate_mode": 2, "project_id": {{c.Project}}, "case_id_list": [ {{string.Join(", ", ids)}} ] }"""),
            "case_id_list has 3 cases; the limit is 2 (Limits:MaxCasesPerTask)");
    }

    [Fact]
    public async Task A_case_over_a_limit_lowered_since_it_was_saved_is_refused_at_start()
    {
        var c = await Run.CreateAsync(Ok, Stage(3));
        // As if it had been saved under a higher limit: the database holds 500 VUs.
        Assert.Equal(1, await ExecuteSqlAsync($"UPDATE cases SET doc = json_set(doc, '$.stages[0].issue_num', 500) WHERE id = {c.Case}"));
        AssertQuota(await StartAsync(c),
            $"case {c.Case} (c): stages[0].issue_num is 500; the limit is 100 VUs (configuration key Limits:Executor:MaxVus)");
        Assert.Equal(0, Target.Requests);
        Assert.Equal(409, (await Run.StopAsync(c)).Status);
    }

    [Fact]
    public async Task A_tenant_over_its_concurrent_runs_is_refused_at_start_until_one_stops()
    {
        var first = await Run.CreateAsync(Ok, Stage(2));
        var second = await Run.CreateAsync(Ok, Stage(2));
        var third = await Run.CreateAsync(Ok, Stage(2));
        await Run.StartAsync(first);
        await Run.StartAsync(second);
        AssertQuota(await StartAsync(third),
            $"project {RunHarness.Tenant} has 2 task runs active; the limit is 2 (Limits:Tenant:MaxConcurrentRuns): stop one first");

        Assert.Equal(200, (await Run.StopAsync(first)).Status);
        await Run.WaitAsync(first);
        await Run.StartAsync(third);
        foreach (var c in new[] { second, third })
        {
            Assert.Equal(200, (await Run.StopAsync(c)).Status);
            await Run.WaitAsync(c);
        }
    }

    [Fact]
    public async Task A_tenant_over_its_running_vus_is_refused_at_start()
    {
        var first = await Run.CreateAsync(Ok, Stage(30));
        var second = await Run.CreateAsync(Ok, Stage(30));
        await Run.StartAsync(first);
        AssertQuota(await StartAsync(second),
            $"task {second.Task} needs up to 30 VUs and project {RunHarness.Tenant} runs 30 already; the limit is 50 VUs (Limits:Tenant:MaxRunningVus)");
        Assert.Equal(200, (await Run.StopAsync(first)).Status);
        await Run.WaitAsync(first);
    }

    private Task<ApiResponse> StartAsync(RunHarness.Created c) =>
        Run.Http.PostJsonAsync($"{V1}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");

    private static void AssertQuota(ApiResponse r, string message)
    {
        Assert.True(r.Status == 400, r.Text);
        Assert.Equal(Quota, r.Object["error_code"]!.GetValue<string>());
        Assert.Equal(message, r.Object["error_msg"]!.GetValue<string>());
    }
}
