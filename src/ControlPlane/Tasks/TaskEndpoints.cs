using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Projects;
using PerfTest.ControlPlane.Quotas;

namespace PerfTest.ControlPlane.Tasks;

/// <summary>Task management: old edition (4.2) and new edition (v3, seed 002, 4.2.7).</summary>
public static class TaskEndpoints
{
    /// <summary>Members the server owns or keeps elsewhere; they are not copied into the task document.</summary>
    private static readonly string[] NotInDoc =
        ["id", "name", "project_id", "case_list", "case_id_list", "run_status", "task_run_info",
         "related_temp_running_data", "create_time", "update_time"];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/{project_id}/all-tasks/{test_suite_id}", List).WithTags("Tasks").WithName("show_task_set")
            .Produces<ListTasksResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        var v1 = api.MapGroup("/v1/{project_id}/tasks").WithTags("Tasks");
        v1.MapPost("", CreateOld).WithName("create_task").AcceptsJson<CreateTaskRequest>()
            .Produces<CreateTaskResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        v1.MapGet("/{task_id}", Show).WithName("show_task")
            .Produces<ShowTaskResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v1.MapPut("/{task_id}", UpdateOld).WithName("update_task").AcceptsJson<UpdateTaskRequest>()
            .Produces<ShowTaskResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v1.MapDelete("/{task_id}", Delete).WithName("delete_task")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        var v3 = api.MapGroup("/v3/{project_id}/tasks").WithTags("Tasks");
        v3.MapPost("", CreateNew).WithName("create_new_task").AcceptsJson<NewTaskRequest>()
            .Produces<CreateTaskResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        v3.MapPut("/{task_id}", UpdateNew).WithName("update_task_related_test_case").AcceptsJson<NewTaskRequest>()
            .Produces<ShowTaskResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v3.MapDelete("/{task_id}", Delete).WithName("delete_new_task")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("/v1/{project_id}/test-suites/{test_suit_id}/tasks/{task_id}/test-cases", ListCases)
            .WithTags("Tasks").WithName("list_task_cases")
            .Produces<ListTaskCasesResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> List(HttpContext ctx, string test_suite_id, ProjectStore projects, TaskStore tasks, Runs.RunStore runs)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = RequestValues.Id(test_suite_id, "test_suite_id");
        var page = RequestValues.Page(ctx.Request);
        if (!await projects.ExistsAsync(tenant, projectId))
        {
            throw ApiException.NotFound("project", projectId);
        }
        var list = new JsonArray();
        foreach (var row in await tasks.ListAsync(tenant, projectId, page))
        {
            var doc = ApiJson.ParseObject(row.Doc);
            list.Add(new JsonObject
            {
                ["bench_concurrent"] = doc["bench_concurrent"]?.DeepClone(),
                ["description"] = doc["description"]?.DeepClone() ?? "",
                ["id"] = row.Id,
                ["name"] = row.Name,
                ["operate_mode"] = doc["operate_mode"]?.DeepClone(),
                ["parallel"] = doc["parallel"]?.DeepClone(),
                ["task_run_info"] = new JsonObject { ["id"] = (await runs.LatestTaskRunAsync(tenant, row.Id))?.Id ?? 0, ["run_type"] = row.Edition },
                ["update_time"] = ApiTime.Format(row.UpdatedUs),
            });
        }
        return ApiJson.Ok(ApiJson.Success(("extend", new JsonArray()), ("tasks", list)));
    }

    private static async Task<IResult> CreateOld(HttpContext ctx, ProjectStore projects, TaskStore tasks, TimeProvider clock)
    {
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        var projectId = body.RequiredLong("project_id");
        body.OptionalArray("temps");
        var doc = Document(body, new JsonObject
        {
            ["description"] = "", ["operate_mode"] = 2, ["bench_concurrent"] = 100, ["parallel"] = true,
        });
        var id = await Create(ctx, projects, tasks, clock, projectId, name, edition: 0, doc, []);
        return ApiJson.Ok(ApiJson.Success(("task_id", id)), 201);
    }

    private static async Task<IResult> CreateNew(HttpContext ctx, ProjectStore projects, CaseStore cases, TaskStore tasks, CaseQuota quota,
        TimeProvider clock)
    {
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var (name, projectId, caseIds) = ReadNewEdition(body);
        quota.CheckCaseCount(caseIds.Count, "case_id_list");
        await RequireCases(Tenant.Of(ctx), projectId, caseIds, cases);
        var doc = Document(body, new JsonObject { ["description"] = "", ["bench_concurrent"] = 100 });
        var id = await Create(ctx, projects, tasks, clock, projectId, name, edition: 1, doc, caseIds);
        return ApiJson.Ok(ApiJson.Success(("task_id", id)), 201);
    }

    private static async Task<long> Create(HttpContext ctx, ProjectStore projects, TaskStore tasks, TimeProvider clock,
        long projectId, string name, int edition, JsonObject doc, IReadOnlyList<long> caseIds)
    {
        var tenant = Tenant.Of(ctx);
        if (!await projects.ExistsAsync(tenant, projectId))
        {
            throw ApiException.NotFound("project", projectId);
        }
        var now = ApiTime.NowMicros(clock);
        return await tasks.CreateAsync(tenant, new TaskRow
        {
            ProjectId = projectId, Name = name, Edition = edition, Doc = ApiJson.Serialize(doc), CreatedUs = now, UpdatedUs = now,
        }, caseIds);
    }

    private static async Task<IResult> Show(HttpContext ctx, string task_id, TaskStore tasks, CaseStore cases, Runs.RunStore runs)
    {
        var row = await Load(ctx, task_id, tasks);
        return ApiJson.Ok(ApiJson.Success(("taskInfo", await TaskInfo(Tenant.Of(ctx), row, cases, runs))));
    }

    /// <summary>
    /// Old-edition update: the task's own members, and for each entry of case_list the members
    /// of that case (merged, as a case target update does), all in one transaction.
    /// </summary>
    private static async Task<IResult> UpdateOld(HttpContext ctx, string task_id, TaskStore tasks, CaseStore cases, Runs.RunStore runs,
        CaseQuota quota, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var row = await Load(ctx, task_id, tasks);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        CheckSameTask(body, row);
        row.Name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        body.OptionalString("description", Limits.Description);
        body.OptionalEnum("operate_mode", 0, 1, 2);
        body.OptionalLong("bench_concurrent");
        body.OptionalEnum("run_type", 0, 1);
        var now = ApiTime.NowMicros(clock);
        var caseUpdates = await CaseUpdates(tenant, row, body, cases, now);
        caseUpdates.ForEach(c => quota.CheckCase(ApiJson.ParseObject(c.Doc), $"case {c.Id} ({c.Name}): "));
        row.Doc = ApiJson.Serialize(Document(body, ApiJson.ParseObject(row.Doc)));
        row.UpdatedUs = now;
        await tasks.UpdateAsync(tenant, row, linkedCases: null, async (c, tx) =>
        {
            foreach (var update in caseUpdates)
            {
                await cases.UpdateAsync(tenant, update, c, tx);
            }
        });
        return await Show(ctx, task_id, tasks, cases, runs);
    }

    private static async Task<List<CaseRow>> CaseUpdates(string tenant, TaskRow task, Fields body, CaseStore cases, long now)
    {
        var current = (await cases.ListByTaskAsync(tenant, task.Id)).ToDictionary(c => c.Id);
        var updates = new List<CaseRow>();
        foreach (var item in body.Objects("case_list"))
        {
            CaseScriptValidator.ValidateCase(item);
            var caseId = item.RequiredLong("case_id");
            if (!current.TryGetValue(caseId, out var row))
            {
                throw ApiException.BadRequest($"{item.PathOf("case_id")} is {caseId}, which is not a case of task {task.Id}");
            }
            row.Name = item.OptionalString("name", Limits.Name) ?? row.Name;
            row.Doc = CaseDocument.Merge(row.Doc, item.Json);
            row.UpdatedUs = now;
            updates.Add(row);
        }
        return updates;
    }

    private static async Task<IResult> UpdateNew(HttpContext ctx, string task_id, TaskStore tasks, CaseStore cases, Runs.RunStore runs,
        CaseQuota quota, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var row = await Load(ctx, task_id, tasks);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var (name, projectId, caseIds) = ReadNewEdition(body);
        quota.CheckCaseCount(caseIds.Count, "case_id_list");
        if (projectId != row.ProjectId)
        {
            throw ApiException.BadRequest($"project_id is {projectId} but task {row.Id} belongs to project {row.ProjectId}");
        }
        await RequireCases(tenant, projectId, caseIds, cases);
        row.Name = name;
        row.Edition = 1;
        row.Doc = ApiJson.Serialize(Document(body, ApiJson.ParseObject(row.Doc)));
        row.UpdatedUs = ApiTime.NowMicros(clock);
        await tasks.UpdateAsync(tenant, row, caseIds);
        return await Show(ctx, task_id, tasks, cases, runs);
    }

    private static async Task<IResult> ListCases(HttpContext ctx, string test_suit_id, string task_id, TaskStore tasks, CaseStore cases)
    {
        var projectId = RequestValues.Id(test_suit_id, "test_suit_id");
        var row = await Load(ctx, task_id, tasks);
        if (row.ProjectId != projectId)
        {
            throw ApiException.NotFound("task", row.Id);
        }
        var list = new JsonArray();
        var page = RequestValues.Page(ctx.Request);
        foreach (var c in (await cases.ListByTaskAsync(Tenant.Of(ctx), row.Id)).Skip(page.Offset).Take(page.Limit))
        {
            list.Add(new JsonObject
            {
                ["id"] = c.Id,
                ["name"] = c.Name,
                ["status"] = CaseDocument.Status(c),
                ["create_time"] = ApiTime.Format(c.CreatedUs),
                ["update_time"] = ApiTime.Format(c.UpdatedUs),
                ["parent_id"] = c.DirectoryId ?? 0,
                ["type"] = 2,
            });
        }
        return ApiJson.Ok(ApiJson.Success(("test_cases", list)));
    }

    private static async Task<IResult> Delete(HttpContext ctx, string task_id, TaskStore tasks, Runs.RunCoordinator coordinator)
    {
        var id = RequestValues.Id(task_id, "task_id");
        await coordinator.EnsureNotRunningAsync(Tenant.Of(ctx), id);
        return await tasks.DeleteAsync(Tenant.Of(ctx), id) ? Results.NoContent() : throw ApiException.NotFound("task", id);
    }

    private static async Task<JsonObject> TaskInfo(string tenant, TaskRow row, CaseStore cases, Runs.RunStore runs)
    {
        var info = ApiJson.ParseObject(row.Doc);
        var caseList = new JsonArray();
        var position = 0;
        foreach (var c in await cases.ListByTaskAsync(tenant, row.Id))
        {
            caseList.Add(CaseDocument.ToDetail(c, c.TaskId == row.Id ? c.Sort : ++position));
        }
        info["case_list"] = caseList;
        info["create_time"] = ApiTime.Format(row.CreatedUs);
        info["id"] = row.Id;
        info["name"] = row.Name;
        info["project_id"] = row.ProjectId;
        info["related_temp_running_data"] = await Runs.LatestRun.RelatedRunningDataAsync(runs, tenant, row.Id);
        info["run_status"] = row.RunStatus;
        info["run_type"] = row.Edition;
        info["update_time"] = ApiTime.Format(row.UpdatedUs);
        return info;
    }

    private static (string Name, long ProjectId, List<long> CaseIds) ReadNewEdition(Fields body)
    {
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        body.RequiredBool("parallel");
        body.OptionalBool("enable_full_link");
        var projectId = body.RequiredLong("project_id");
        body.RequiredEnum("operate_mode", 0, 1, 2);
        var caseIds = body.Ids("case_id_list", required: true);
        var duplicate = caseIds.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ApiException.BadRequest($"case_id_list names case {duplicate.Key} more than once");
        }
        return (name, projectId, caseIds);
    }

    private static async Task RequireCases(string tenant, long projectId, List<long> caseIds, CaseStore cases)
    {
        var found = await cases.ExistingAsync(tenant, projectId, caseIds);
        var missing = caseIds.FirstOrDefault(id => !found.Contains(id), -1);
        if (missing >= 0)
        {
            throw ApiException.NotFound("case", missing);
        }
    }

    private static void CheckSameTask(Fields body, TaskRow row)
    {
        var id = body.RequiredLong("id");
        if (id != row.Id)
        {
            throw ApiException.BadRequest($"id is {id} but the path names task {row.Id}");
        }
        var projectId = body.RequiredLong("project_id");
        if (projectId != row.ProjectId)
        {
            throw ApiException.BadRequest($"project_id is {projectId} but task {row.Id} belongs to project {row.ProjectId}");
        }
    }

    /// <summary>The body's members, less the server-owned ones, over <paramref name="defaults"/>.</summary>
    private static JsonObject Document(Fields body, JsonObject defaults)
    {
        body.OptionalString("description", Limits.Description);
        body.OptionalEnum("operate_mode", 0, 1, 2);
        body.OptionalLong("bench_concurrent");
        body.OptionalBool("parallel");
        foreach (var (key, value) in body.Json)
        {
            if (Array.IndexOf(NotInDoc, key) < 0)
            {
                defaults[key] = value?.DeepClone();
            }
        }
        return defaults;
    }

    private static async Task<TaskRow> Load(HttpContext ctx, string rawId, TaskStore tasks)
    {
        var id = RequestValues.Id(rawId, "task_id");
        return await tasks.GetAsync(Tenant.Of(ctx), id) ?? throw ApiException.NotFound("task", id);
    }
}
