using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// Real runs for the console's tests: a loopback target answering <c>/ok</c>, and a project, task and one-request
/// case created and run through the REST API of a control plane in this process (its embedded executor).
/// </summary>
internal sealed class ConsoleRuns(ControlPlaneServer server, Action<HttpRequestMessage> credentials)
{
    /// <summary>A Kestrel target on 127.0.0.1 that answers every request with 200 "ok".</summary>
    public static async Task<WebApplication> StartTargetAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/ok", () => Results.Text("ok"));
        await app.StartAsync();
        return app;
    }

    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async Task<JsonObject> SendAsync(HttpMethod method, string path, string? json = null)
    {
        var r = await server.Http.SendJsonAsync(method, path, json, credentials);
        Assert.True(r.Status is >= 200 and < 300, $"{method} {path}: {r.Status} {r.Text}");
        return r.Object;
    }

    /// <summary>A project and task holding one case: a GET of <paramref name="url"/> at 2 VUs for <paramref name="seconds"/> s.</summary>
    public async Task<(long Project, long Task)> CreateAsync(string tenant, string url, string taskName = "t", int seconds = 3)
    {
        var p = "/v1/" + tenant;
        var project = (await SendAsync(HttpMethod.Post, $"{p}/test-suites", """{"name":"console"}"""))["project_id"]!.GetValue<long>();
        var task = (await SendAsync(HttpMethod.Post, $"{p}/tasks", new JsonObject { ["name"] = taskName, ["project_id"] = project }.ToJsonString()))["task_id"]!.GetValue<long>();
        var caseId = (await SendAsync(HttpMethod.Post, $"{p}/task-cases", $$"""{"name":"c","type":0,"task_id":{{task}}}"""))["json"]!["task_case_id"]!.GetValue<long>();
        await SendAsync(HttpMethod.Put, $"{p}/task-cases/{caseId}/target/content", $$"""
            { "contents": [ { "content_id": 0, "data_type": 0, "content": [ { "content_type": 2, "content": {
                "name": "req-1", "method": "GET", "url": "{{url}}", "protocol_type": 1, "connect_timeout": 5000,
                "return_timeout": 5000, "headers": [], "body_type": 0, "bodys": [] } } ] } ] }
            """);
        await SendAsync(HttpMethod.Put, $"{p}/task-cases/{caseId}/target/stage",
            $$"""{ "stages": [ { "name": "s", "operate_mode": 0, "time": {{seconds}}, "pressure_mode": 0, "issue_num": 2 } ] }""");
        return (project, task);
    }

    /// <summary>Starts (status 9) or stops (status 2) the task; returns the task run id a start made.</summary>
    public async Task<long> SetStatusAsync(string tenant, (long Project, long Task) created, int status)
    {
        var r = await SendAsync(HttpMethod.Post, $"/v1/{tenant}/test-suites/{created.Project}/tasks/{created.Task}",
            $$"""{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": {{status}} }""");
        return r["result"]?["task_run_id"]?.GetValue<long>() ?? 0;
    }

    /// <summary>Completes when the task's run has ended (the coordinator's own completion).</summary>
    public Task WaitAsync((long Project, long Task) created) =>
        server.App.Services.GetRequiredService<RunCoordinator>().WaitAsync(created.Task);

    /// <summary>Runs a task named <paramref name="taskName"/> of one GET of <paramref name="url"/> for 3 s at 2 VUs; returns its task run id once it ended.</summary>
    public async Task<long> RunAsync(string tenant, string url, string taskName = "t")
    {
        var created = await CreateAsync(tenant, url, taskName);
        var taskRunId = await SetStatusAsync(tenant, created, 9);
        await WaitAsync(created);
        return taskRunId;
    }
}
