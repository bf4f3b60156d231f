using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Reports;

namespace PerfTest.ControlPlane.Runs;

/// <summary>The task's related_temp_running_data: one entry per case of its latest run.</summary>
public static class LatestRun
{
    public static async Task<JsonArray> RelatedRunningDataAsync(RunStore runs, string tenant, long taskId)
    {
        var latest = await runs.LatestTaskRunAsync(tenant, taskId);
        var list = new JsonArray();
        if (latest is null)
        {
            return list;
        }
        foreach (var caseRun in await runs.ListCaseRunsAsync(tenant, latest.Id))
        {
            // Requests only ("name#METHOD#URL"); transactions are not requests.
            var urls = new JsonArray(ReportKeys.Parse(caseRun.Requests).Where(k => !k.IsTransaction)
                .Select(k => (JsonNode)k.ContentMethodUrl).ToArray());
            list.Add(new JsonObject
            {
                ["content_method_url"] = urls,
                ["crawler_status"] = caseRun.RunStatus == RunStatus.StoppedAbnormally ? 3 : 0,
                ["related_temp_running_id"] = caseRun.Id,
                ["task_run_info_id"] = latest.Id,
                ["temp_id"] = caseRun.CaseId,
                ["temp_name"] = caseRun.CaseName,
                ["temp_running_status"] = caseRun.RunStatus,
            });
        }
        return list;
    }
}
