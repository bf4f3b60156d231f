using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>Drives runs through the public REST API of a real control plane, as a client would, under one IAM project id.</summary>
public sealed class RunHarness
{
    public const string Tenant = "e2e0000project";

    private readonly Func<long, Task> _waitForTask;

    /// <summary>A control plane in this process: waits on its run coordinator.</summary>
    /// <param name="server">The control plane.</param>
    /// <param name="projectId">The IAM project id (tenant) of every path.</param>
    public RunHarness(ControlPlaneServer server, string projectId = Tenant)
        : this(server.Http, projectId, task => server.App.Services.GetRequiredService<RunCoordinator>().WaitAsync(task))
    {
    }

    /// <summary>A control plane elsewhere (another process): <see cref="WaitAsync"/> polls the task's <c>run_status</c>.</summary>
    /// <param name="http">The API's base address and credentials (e.g. a default X-Auth-Token header).</param>
    /// <param name="projectId">The IAM project id (tenant) of every path.</param>
    /// <param name="waitLimit">How long <see cref="WaitAsync"/> polls before it fails.</param>
    public RunHarness(HttpClient http, string projectId, TimeSpan waitLimit) : this(http, projectId, task => Poll(http, projectId, task, waitLimit))
    {
    }

    private RunHarness(HttpClient http, string projectId, Func<long, Task> waitForTask)
    {
        Http = http;
        ProjectId = projectId;
        _waitForTask = waitForTask;
    }

    /// <summary>The IAM project id of this harness's requests.</summary>
    public string ProjectId { get; }

    private string P => "/v1/" + ProjectId;
    public HttpClient Http { get; }

    public sealed record Created(long Project, long Task, long Case);

    /// <summary>A project with one task holding one case: an HTTP GET of <paramref name="url"/> under the given stages.</summary>
    public async Task<Created> CreateAsync(string url, string stagesJson, string method = "GET")
    {
        var project = (await Http.PostJsonAsync($"{P}/test-suites", """{"name":"e2e"}""")).Object["project_id"]!.GetValue<long>();
        var task = (await Http.PostJsonAsync($"{P}/tasks", $$"""{"name":"t","project_id":{{project}}}""")).Object["task_id"]!.GetValue<long>();
        var caseId = (await Http.PostJsonAsync($"{P}/task-cases", $$"""{"name":"c","type":0,"task_id":{{task}}}""")).Object["json"]!["task_case_id"]!.GetValue<long>();
        var contents = $$"""
            { "contents": [ { "content_id": 0, "data_type": 0, "content": [ { "content_type": 2, "content": {
                "name": "req-1", "method": "{{method}}", "url": "{{url}}", "protocol_type": 1, "connect_timeout": 5000,
                "return_timeout": 5000, "headers": [ { "key": "Accept", "value": "text/plain" } ], "body_type": 0, "bodys": [] } } ] } ] }
            """;
        Assert.Equal(202, (await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content", contents)).Status);
        Assert.Equal(202, (await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/stage", $$"""{ "stages": {{stagesJson}} }""")).Status);
        return new Created(project, task, caseId);
    }

    public async Task<long> StartAsync(Created c, string clusterType = "shared-cluster-internet", long clusterId = 0)
    {
        var r = await Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}",
            $$"""{ "cluster_id": {{clusterId}}, "cluster_type": "{{clusterType}}", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");
        Assert.True(r.Status == 200, r.Text);
        return r.Object["result"]!["task_run_id"]!.GetValue<long>();
    }

    public async Task<ApiResponse> StopAsync(Created c) =>
        await Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 2 }""");

    /// <summary>Waits for the run to end: the coordinator's own completion in this process, else the task's status.</summary>
    public Task WaitAsync(Created c) => _waitForTask(c.Task);

    /// <summary>Polls the task until its <c>run_status</c> is an end: 2 (ended), 3 (stopped abnormally) or 4 (stopped).</summary>
    private static async Task Poll(HttpClient http, string projectId, long task, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var r = await http.GetJsonAsync($"/v1/{projectId}/tasks/{task}");
            if (r.Status == 200 && r.Object["taskInfo"]?["run_status"]?.GetValue<int>() is 2 or 3 or 4)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"task {task} did not end within {limit}: {r.Status} {r.Text}");
            }
            await Task.Delay(200);
        }
    }

    public async Task<JsonObject> TaskInfoAsync(Created c) =>
        (JsonObject)(await Http.GetJsonAsync($"{P}/tasks/{c.Task}")).Object["taskInfo"]!;

    public async Task<long> CaseRunIdAsync(Created c) =>
        (await TaskInfoAsync(c))["related_temp_running_data"]![0]!["related_temp_running_id"]!.GetValue<long>();

    public async Task<JsonObject> ReportAsync(long taskRunId, long caseRunId, int points = 1000)
    {
        var r = await Http.GetJsonAsync($"{P}/task-run-infos/{taskRunId}/case-run-infos/{caseRunId}/reports?brokens_limit_count={points}");
        Assert.True(r.Status == 200, r.Text);
        return (JsonObject)r.Object["result"]!;
    }

    /// <summary>The task run's log outline (the SDK's show_merge_report_logs_outline): every case run together.</summary>
    public async Task<JsonObject> LogOutlineAsync(long taskRunId)
    {
        var r = await Http.GetJsonAsync($"/v2/{ProjectId}/task-run-infos/{taskRunId}/reports/log-outline");
        Assert.True(r.Status == 200, r.Text);
        return (JsonObject)r.Object["result"]!["outline"]!;
    }

    /// <summary>The log outline's <c>task_basic_attribute.protocols</c>.</summary>
    public static string[] Protocols(JsonObject outline) =>
        outline["task_basic_attribute"]!["protocols"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray();

    public static JsonObject Performance(JsonObject report) => (JsonObject)report["details"]!["data"]![0]!["performance"]!;

    public static double[] Curve(JsonObject report, string group, string name) =>
        report["brokens"]![group]![name]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
}
