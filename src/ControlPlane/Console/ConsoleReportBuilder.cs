using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Runs;
using PerfTest.Metrics;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// The console's report of a task run, live or finished: per case run its curves on one time axis and the tables of
/// the v1 report. Every table is built by <see cref="ReportBuilder"/> from the same <see cref="RunData"/> as the v1
/// report, so each figure the page shows is the one the API answers.
/// </summary>
public sealed class ConsoleReportBuilder(RunStore runs, RollupReader rollups, PercentileCurve percentiles, GroupChangeStore changes)
{
    /// <summary>The report of the tenant's task run; points only from <paramref name="since"/> on when given.</summary>
    /// <exception cref="ApiException">404 when the task run does not exist for the tenant.</exception>
    public async Task<JsonObject> BuildAsync(string tenant, long taskRunId, long? since)
    {
        var taskRun = await runs.GetTaskRunAsync(tenant, taskRunId) ?? throw ApiException.NotFound("task run", taskRunId);
        var cases = new JsonArray();
        foreach (var caseRun in await runs.ListCaseRunsAsync(tenant, taskRun.Id))
        {
            cases.Add(await CaseAsync(taskRun, caseRun, since));
        }
        return new JsonObject { ["task_run"] = TaskRun(taskRun), ["cases"] = cases };
    }

    private static JsonObject TaskRun(TaskRunRow run) => new()
    {
        ["id"] = run.Id,
        ["task_id"] = run.TaskId,
        ["task_name"] = ApiJson.ParseObject(run.Doc)["name"]?.GetValue<string>(),
        ["project_id"] = run.ProjectId,
        ["run_status"] = run.RunStatus,
        ["start_time"] = ApiTime.Format(run.StartedUs),
        ["end_time"] = run.EndedUs is { } e ? ApiTime.Format(e) : null,
        ["live"] = run.EndedUs is null,
    };

    private async Task<JsonObject> CaseAsync(TaskRunRow taskRun, CaseRunRow caseRun, long? since)
    {
        var data = await RunData.ReadAsync(rollups, caseRun.Id, [KeySnapshot.CaseKey]);
        var histograms = data.HasSeconds
            ? await percentiles.ReadAsync(caseRun.Id, data.Level, ConsolePoints.FirstWanted(data, since), data.LastSecond)
            : [];
        var total = data.Total(KeySnapshot.CaseKey);
        return new JsonObject
        {
            ["case_run_id"] = caseRun.Id,
            ["case_id"] = caseRun.CaseId,
            ["name"] = caseRun.CaseName,
            ["run_status"] = caseRun.RunStatus,
            ["error"] = caseRun.Error,
            ["resolution"] = data.Level,
            ["points"] = ConsolePoints.Build(data, histograms, since),
            ["performance"] = ReportBuilder.Detail(taskRun, caseRun, data, KeySnapshot.CaseKey, caseRun.CaseName, false),
            ["requests"] = ReportBuilder.RequestDetails(taskRun, caseRun, data),
            ["transactions"] = ReportBuilder.TransactionDetails(taskRun, caseRun, data),
            ["resp_time_range"] = ReportBuilder.RespTimeRange(total),
            ["outline"] = ReportBuilder.Outline(taskRun, caseRun, data, total),
            ["group_changes"] = GroupChangesReport.Build(await changes.ListAsync(caseRun.Id)),
        };
    }
}
