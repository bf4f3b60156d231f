using System.Text.Json.Nodes;
using PerfTest.Cli.Http;

namespace PerfTest.Cli.Runs;

/// <summary>
/// Reads of a task run: the console's report (<c>GET /v1/{p}/console/task-runs/{run}?since=</c>: live points, status,
/// case runs) and, for the summary, each case run's v1 report (<c>.../case-run-infos/{case_run}/reports</c>).
/// </summary>
public static class RunReports
{
    public static async Task<JsonObject> ConsoleAsync(ApiClient api, long taskRunId, long? since, CancellationToken ct) =>
        (JsonObject)(await api.GetAsync(api.V1($"/console/task-runs/{taskRunId}") + (since is { } s ? $"?since={s}" : ""), ct))!;

    public static async Task<RunSummary> SummaryAsync(ApiClient api, long taskRunId, CancellationToken ct)
    {
        var console = await ConsoleAsync(api, taskRunId, RunFollower.FarFuture, ct);
        var run = console["task_run"]!;
        var cases = new List<CaseSummary>();
        foreach (var c in console["cases"]!.AsArray().OfType<JsonObject>())
        {
            var caseRunId = c["case_run_id"]!.GetValue<long>();
            var report = (await api.GetAsync(api.V1($"/task-run-infos/{taskRunId}/case-run-infos/{caseRunId}/reports?brokens_limit_count=1"), ct))!["result"]!;
            var data = report["details"]!["data"]![0]!;
            cases.Add(new CaseSummary(c["name"]!.GetValue<string>(), caseRunId, c["run_status"]!.GetValue<int>(),
                c["error"]?.GetValue<string>(), (JsonObject)data["performance"]!.DeepClone(),
                data["detailDatas"]!.AsArray().OfType<JsonObject>().Select(d => (JsonObject)d.DeepClone()).ToList()));
        }
        return new RunSummary(taskRunId, run["task_id"]!.GetValue<long>(), run["task_name"]?.GetValue<string>() ?? "",
            run["run_status"]!.GetValue<int>(), cases);
    }
}
