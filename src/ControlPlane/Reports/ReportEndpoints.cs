using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Runs;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.ControlPlane.Reports;

/// <summary>Report management (4.6) and the SDK's v2 report reads; all read what runs persisted, live or finished.</summary>
public static class ReportEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var v1 = api.MapGroup("/v1/{project_id}").WithTags("Reports");
        v1.MapGet("/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/reports", Report).WithName("show_report")
            .Produces<ShowReportResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v1.MapGet("/tasks/history-run-list/{task_id}", History).WithName("show_history_run_info")
            .Produces<ShowHistoryRunInfoResponse>(StatusCodes.Status200OK).WithErrors();
        var v2 = api.MapGroup("/v2/{project_id}/task-run-infos/{task_run_id}").WithTags("Reports");
        v2.MapGet("/cases", Cases).WithName("show_merge_task_case")
            .Produces<ShowMergeTaskCaseResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v2.MapGet("/reports/log-outline", LogOutline).WithName("show_merge_report_logs_outline")
            .Produces<ShowMergeReportLogsOutlineResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v2.MapGet("/case-run-infos/{case_run_id}/detail", CaseDetail).WithName("show_merge_case_detail")
            .Produces<ShowMergeCaseDetailResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v2.MapGet("/case-run-infos/{case_run_id}/detail/{detail_id}/chart", Chart).WithName("show_task_case_aw_chart")
            .Produces<ShowTaskCaseAwChartResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> Report(HttpContext ctx, string task_run_id, string case_run_id, RunStore runs, GroupChangeStore changes, RollupReader rollups)
    {
        var raw = ctx.Request.Query["brokens_limit_count"].ToString();
        if (raw.Length == 0)
        {
            throw ApiException.BadRequest("brokens_limit_count is required: the number of points of each curve");
        }
        var limit = (int)Math.Min(RequestValues.Id(raw, "brokens_limit_count"), 100_000);
        var (taskRun, caseRun) = await Load(ctx, task_run_id, case_run_id, runs);
        var data = await RunData.ReadAsync(rollups, caseRun.Id, [KeySnapshot.CaseKey]);
        var report = ReportBuilder.Build(taskRun, caseRun, data, limit);
        report["outline"]!["group_changes"] = GroupChangesReport.Build(await changes.ListAsync(caseRun.Id));
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", report)));
    }

    private static async Task<IResult> History(HttpContext ctx, string task_id, RunStore runs)
    {
        var tenant = Tenant.Of(ctx);
        var taskId = RequestValues.Id(task_id, "task_id");
        var list = new JsonArray();
        foreach (var run in await runs.ListTaskRunsAsync(tenant, taskId, RequestValues.Page(ctx.Request)))
        {
            var doc = ApiJson.ParseObject(run.Doc);
            var cases = await runs.ListCaseRunsAsync(tenant, run.Id);
            var start = ApiTime.Format(run.StartedUs);
            list.Add(new JsonObject
            {
                ["name"] = $"{doc["name"]?.GetValue<string>()}_{start}",
                ["run_id"] = run.Id,
                ["run_type"] = doc["edition"]?.GetValue<int>() ?? 0,
                ["start_time"] = start,
                ["end_time"] = run.EndedUs is { } e ? ApiTime.Format(e) : null,
                ["continue_time"] = ((run.EndedUs ?? ApiTime.NowMicros(TimeProvider.System)) - run.StartedUs) / 1_000_000,
                ["temp_names"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject { ["name"] = c.CaseName }).ToArray()),
                ["parallel"] = doc["parallel"]?.GetValue<bool>() ?? true,
                ["run_status"] = run.RunStatus,
            });
        }
        return ApiJson.Ok(ApiJson.Success(("log_list", list)));
    }

    /// <summary>The case runs of a task run: case_uri_i (and testcaseId) is the case_run_id; aw ids are detail ids.</summary>
    private static async Task<IResult> Cases(HttpContext ctx, string task_run_id, RunStore runs)
    {
        var tenant = Tenant.Of(ctx);
        var taskRun = await LoadTaskRun(ctx, task_run_id, runs);
        var list = new JsonArray();
        foreach (var caseRun in await runs.ListCaseRunsAsync(tenant, taskRun.Id))
        {
            var runId = caseRun.Id.ToString(CultureInfo.InvariantCulture);
            var requests = ReportBuilder.Requests(caseRun);
            list.Add(new JsonObject
            {
                ["aw"] = new JsonArray(requests.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["id"] = $"{caseRun.Id}-{r.Key}", ["datumType"] = 2 }).ToArray()),
                ["awList"] = new JsonArray(requests.Select(r => (JsonNode)new JsonObject
                {
                    ["caseAwId"] = $"{caseRun.Id}-{r.Key}", ["datumType"] = 2, ["name"] = r.Name, ["transactionId"] = null, ["awList"] = new JsonArray(),
                }).ToArray()),
                ["caseAwId"] = $"{caseRun.Id}-{KeySnapshot.CaseKey}",
                ["caseUri"] = caseRun.CaseId.ToString(CultureInfo.InvariantCulture),
                ["case_uri_i"] = runId,
                ["datumType"] = 1,
                ["id"] = $"{caseRun.Id}-{KeySnapshot.CaseKey}",
                ["name"] = caseRun.CaseName,
                ["taskExecId"] = runId,
                ["taskId"] = taskRun.TaskId.ToString(CultureInfo.InvariantCulture),
                ["testcaseId"] = runId,
                ["transactionList"] = new JsonArray(),
                ["run_status"] = caseRun.RunStatus,
                ["error"] = caseRun.Error,
            });
        }
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", new JsonObject { ["case_aw_info_list"] = list, ["err_message"] = null })));
    }

    private static async Task<IResult> LogOutline(HttpContext ctx, string task_run_id, RunStore runs, GroupChangeStore changes, RollupReader rollups)
    {
        var tenant = Tenant.Of(ctx);
        var taskRun = await LoadTaskRun(ctx, task_run_id, runs);
        var caseRuns = await runs.ListCaseRunsAsync(tenant, taskRun.Id);
        var datas = await RunData.ReadManyAsync(rollups, caseRuns.Select(c => c.Id).ToList(), [KeySnapshot.CaseKey]);
        var groupChanges = new List<GroupChangeRow>();
        foreach (var caseRun in caseRuns)
        {
            groupChanges.AddRange(await changes.ListAsync(caseRun.Id));
        }
        var outline = LogOutlineBuilder.Build(taskRun, caseRuns, datas);
        outline["group_changes"] = GroupChangesReport.Build(groupChanges.OrderBy(c => c.UnixMs));
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", new JsonObject
        {
            ["err_message"] = null,
            ["outline"] = outline,
        })));
    }

    private static async Task<IResult> CaseDetail(HttpContext ctx, string task_run_id, string case_run_id, RunStore runs, RollupReader rollups)
    {
        var (taskRun, caseRun) = await Load(ctx, task_run_id, case_run_id, runs);
        var data = await RunData.ReadAsync(rollups, caseRun.Id, []);
        var detail = new JsonObject
        {
            ["customTransactions"] = new JsonArray(),
            ["detailDatas"] = ReportBuilder.RequestDetails(taskRun, caseRun, data),
            ["performance"] = ReportBuilder.Detail(taskRun, caseRun, data, KeySnapshot.CaseKey, caseRun.CaseName, false),
        };
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", new JsonObject { ["detail"] = detail, ["err_message"] = null })));
    }

    /// <summary>The curves of one request card (detail id "caseRunId-key") or of the case (the case run id, or key -1).</summary>
    private static async Task<IResult> Chart(HttpContext ctx, string task_run_id, string case_run_id, string detail_id, RunStore runs, RollupReader rollups)
    {
        var (_, caseRun) = await Load(ctx, task_run_id, case_run_id, runs);
        var key = DetailKey(detail_id, caseRun);
        var data = await RunData.ReadAsync(rollups, caseRun.Id, [key]);
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", new JsonObject
        {
            ["broken_list"] = ReportBuilder.Brokens(data, 0, key),
            ["err_message"] = null,
            ["resp_time_range"] = ReportBuilder.RespTimeRange(data.Total(key)),
        })));
    }

    private static int DetailKey(string detailId, CaseRunRow caseRun)
    {
        var prefix = caseRun.Id.ToString(CultureInfo.InvariantCulture);
        if (detailId == prefix)
        {
            return KeySnapshot.CaseKey;
        }
        var requests = ReportBuilder.Requests(caseRun).Count;
        if (detailId.StartsWith(prefix + "-", StringComparison.Ordinal)
            && int.TryParse(detailId.AsSpan(prefix.Length + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            && key >= KeySnapshot.CaseKey && key < requests)
        {
            return key;
        }
        throw new ApiException(404, ErrorCodes.NotFound, $"detail {detailId} is not part of case run {caseRun.Id}");
    }

    private static async Task<TaskRunRow> LoadTaskRun(HttpContext ctx, string rawId, RunStore runs)
    {
        var id = RequestValues.Id(rawId, "task_run_id");
        return await runs.GetTaskRunAsync(Tenant.Of(ctx), id) ?? throw ApiException.NotFound("task run", id);
    }

    private static async Task<(TaskRunRow, CaseRunRow)> Load(HttpContext ctx, string taskRunId, string caseRunId, RunStore runs)
    {
        var taskRun = await LoadTaskRun(ctx, taskRunId, runs);
        var id = RequestValues.Id(caseRunId, "case_run_id");
        var caseRun = (await runs.ListCaseRunsAsync(Tenant.Of(ctx), taskRun.Id)).FirstOrDefault(c => c.Id == id)
            ?? throw ApiException.NotFound("case run", id);
        return (taskRun, caseRun);
    }
}
