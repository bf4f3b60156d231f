using System.Text.Json.Nodes;
using PerfTest.Cli.Http;

namespace PerfTest.Cli.Runs;

/// <summary>Start and stop of a task: <c>POST /v1/{p}/test-suites/{project}/tasks/{task}</c> with status 9 or 2 (docs/runs.md).</summary>
public static class TaskActions
{
    /// <summary>Starts the task on private resource group <paramref name="clusterId"/>, or the shared one (0); answers the task run id.</summary>
    public static async Task<long> StartAsync(ApiClient api, TaskRef task, long clusterId, CancellationToken ct) =>
        (await SetStatusAsync(api, task, 9, clusterId, ct))!["result"]!["task_run_id"]!.GetValue<long>();

    public static async Task<long?> StopAsync(ApiClient api, TaskRef task, CancellationToken ct) =>
        (await SetStatusAsync(api, task, 2, 0, ct))?["result"]?["task_run_id"]?.GetValue<long>();

    private static Task<JsonNode?> SetStatusAsync(ApiClient api, TaskRef task, int status, long clusterId, CancellationToken ct) =>
        api.PostAsync(api.V1($"/test-suites/{task.ProjectId}/tasks/{task.Id}"), new JsonObject
        {
            ["cluster_id"] = clusterId,
            ["cluster_type"] = clusterId == 0 ? "shared-cluster-internet" : "private-cluster",
            ["without_package"] = 0,
            ["network_info"] = new JsonObject { ["network_type"] = "internet" },
            ["status"] = status,
        }, ct);
}
