using System.Text.Json;
using System.Text.Json.Nodes;
using PerfTest.Cli.Thresholds;

namespace PerfTest.Cli.Runs;

/// <summary>The <c>--json</c> file: the run, each case's performance and requests as the report gives them, the thresholds.</summary>
public static class JsonResultWriter
{
    public static JsonObject Build(RunSummary summary, IReadOnlyList<ThresholdResult> results, int exitCode) => new()
    {
        ["task_run_id"] = summary.TaskRunId,
        ["task_id"] = summary.TaskId,
        ["task_name"] = summary.TaskName,
        ["run_status"] = summary.RunStatus,
        ["run_status_name"] = RunSummary.StatusName(summary.RunStatus),
        ["exit_code"] = exitCode,
        ["passed"] = results.All(r => r.Passed) && summary.RunStatus == RunSummary.Ended,
        ["cases"] = new JsonArray(summary.Cases.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["case_run_id"] = c.CaseRunId,
            ["run_status"] = c.RunStatus,
            ["error"] = c.Error,
            ["performance"] = c.Performance.DeepClone(),
            ["requests"] = new JsonArray(c.Requests.Select(r => r.DeepClone()).ToArray()),
        }).ToArray()),
        ["thresholds"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["expression"] = r.Threshold.Expression,
            ["scope"] = r.Scope,
            ["metric"] = r.Threshold.Metric,
            ["operator"] = r.Threshold.Operator,
            ["limit"] = r.Threshold.Limit,
            ["value"] = r.Value,
            ["passed"] = r.Passed,
            ["message"] = r.Message,
        }).ToArray()),
    };

    public static Task WriteAsync(string path, RunSummary summary, IReadOnlyList<ThresholdResult> results, int exitCode) =>
        File.WriteAllTextAsync(path, Build(summary, results, exitCode).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
