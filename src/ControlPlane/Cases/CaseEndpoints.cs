using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Directories;
using PerfTest.ControlPlane.Quotas;
using PerfTest.ControlPlane.Tasks;

namespace PerfTest.ControlPlane.Cases;

/// <summary>Case management: the old edition (4.3, cases owned by a task) and the SDK's v2 test cases.</summary>
public static class CaseEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var v1 = api.MapGroup("/v1/{project_id}/task-cases").WithTags("Cases");
        v1.MapPost("", CreateInTask).WithName("create_case").AcceptsJson<CreateCaseRequest>()
            .Produces<CreateCaseResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        v1.MapDelete("/{case_id}", Delete).WithName("delete_case")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
        v1.MapPut("/{case_id}/target/{target}", UpdateTarget).WithName("update_case").AcceptsJson<CaseInfoDetail>()
            .Produces<SuccessBody>(StatusCodes.Status202Accepted).WithErrors(StatusCodes.Status404NotFound);

        var v2 = api.MapGroup("/v2/{project_id}/test-cases").WithTags("Cases");
        v2.MapPost("", CreateInDirectory).WithName("create_new_case").AcceptsJson<CaseInfoDetail>()
            .Produces<CreateNewCaseResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        v2.MapGet("/{case_id}", Show).WithName("show_case")
            .Produces<ShowCaseResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        v2.MapPut("/{case_id}", UpdateWhole).WithName("update_new_case").AcceptsJson<CaseInfoDetail>()
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
        v2.MapDelete("/{case_id}", Delete).WithName("delete_new_case")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateInTask(HttpContext ctx, TaskStore tasks, CaseStore cases, CaseQuota quota, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        CaseScriptValidator.ValidateCase(body);
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        var type = body.RequiredEnum("type", 0, 1, 2);
        var taskId = body.RequiredLong("task_id");
        var task = await tasks.GetAsync(tenant, taskId) ?? throw ApiException.NotFound("task", taskId);
        quota.CheckCaseCount((await cases.ListByTaskAsync(tenant, taskId)).Count + 1, $"task {taskId}");
        var now = ApiTime.NowMicros(clock);
        var extra = (System.Text.Json.Nodes.JsonObject)body.Json.DeepClone();
        extra.Remove("type");
        extra.Remove("task_id");
        var doc = CaseDocument.Merge(ApiJson.Serialize(CaseDocument.NewCase(type)), extra);
        quota.CheckCase(ApiJson.ParseObject(doc));
        var id = await cases.CreateAsync(tenant, new CaseRow
        {
            ProjectId = task.ProjectId, TaskId = taskId, Name = name, CreatedUs = now, UpdatedUs = now, Doc = doc,
        });
        return ApiJson.Ok(ApiJson.Success(("json", new JsonObject { ["task_case_id"] = id })), 201);
    }

    private static async Task<IResult> CreateInDirectory(HttpContext ctx, DirectoryStore directories, CaseStore cases, CaseQuota quota,
        TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        CaseScriptValidator.ValidateCase(body);
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        var directoryId = body.RequiredLong("directory_id");
        var directory = await directories.GetAsync(tenant, directoryId) ?? throw ApiException.NotFound("directory", directoryId);
        var now = ApiTime.NowMicros(clock);
        var doc = CaseDocument.Merge(ApiJson.Serialize(CaseDocument.NewCase(0)), body.Json);
        quota.CheckCase(ApiJson.ParseObject(doc));
        var id = await cases.CreateAsync(tenant, new CaseRow
        {
            ProjectId = directory.ProjectId, DirectoryId = directoryId, Name = name, Doc = doc, CreatedUs = now, UpdatedUs = now,
        });
        return ApiJson.Ok(ApiJson.Success(("json", new JsonObject { ["test_case_id"] = id })), 201);
    }

    private static async Task<IResult> Show(HttpContext ctx, string case_id, CaseStore cases)
    {
        var row = await Load(ctx, case_id, cases);
        return ApiJson.Ok(ApiJson.Success(("test_case", CaseDocument.ToDetail(row))));
    }

    /// <summary>
    /// Old-edition update. Every member of the body is stored (nothing sent is dropped);
    /// the target says which member the update is about and so must be present:
    /// content -> contents, stage -> stages, name -> name; all replaces the whole case.
    /// </summary>
    private static async Task<IResult> UpdateTarget(HttpContext ctx, string case_id, string target,
        CaseStore cases, DirectoryStore directories, CaseQuota quota, TimeProvider clock)
    {
        var row = await Load(ctx, case_id, cases);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        CaseScriptValidator.ValidateCase(body);
        switch (target)
        {
            case "content": body.RequiredArray("contents"); break;
            case "stage": body.RequiredArray("stages"); break;
            case "name": body.RequiredString("name", Limits.Name, allowEmpty: false); break;
            case "all": body.RequiredString("name", Limits.Name, allowEmpty: false); break;
            default:
                throw ApiException.BadRequest($"target '{target}' is not known; it must be content, stage, name or all");
        }
        await Apply(ctx, row, body, replace: target == "all", cases, directories, quota, clock);
        return ApiJson.Ok(ApiJson.Success(), 202);
    }

    /// <summary>v2 update: the body is the whole case (CaseInfoDetail), with the documented mandatory members.</summary>
    private static async Task<IResult> UpdateWhole(HttpContext ctx, string case_id, CaseStore cases,
        DirectoryStore directories, CaseQuota quota, TimeProvider clock)
    {
        var row = await Load(ctx, case_id, cases);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        CaseScriptValidator.ValidateCase(body);
        body.RequiredString("name", Limits.Name, allowEmpty: false);
        body.RequiredArray("contents");
        body.RequiredArray("stages");
        body.RequiredLong("directory_id");
        await Apply(ctx, row, body, replace: true, cases, directories, quota, clock);
        return Results.NoContent();
    }

    private static async Task Apply(HttpContext ctx, CaseRow row, Fields body, bool replace,
        CaseStore cases, DirectoryStore directories, CaseQuota quota, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        if (body.OptionalLong("directory_id") is { } directoryId && directoryId != row.DirectoryId)
        {
            var directory = await directories.GetAsync(tenant, directoryId);
            if (directory is null || directory.ProjectId != row.ProjectId)
            {
                throw ApiException.NotFound("directory", directoryId);
            }
            row.DirectoryId = directoryId;
        }
        row.Name = body.OptionalString("name", Limits.Name) ?? row.Name;
        row.Doc = replace ? CaseDocument.Replace(body.Json) : CaseDocument.Merge(row.Doc, body.Json);
        quota.CheckCase(ApiJson.ParseObject(row.Doc));
        row.UpdatedUs = ApiTime.NowMicros(clock);
        if (!await cases.UpdateAsync(tenant, row))
        {
            throw ApiException.NotFound("case", row.Id);
        }
    }

    private static async Task<IResult> Delete(HttpContext ctx, string case_id, CaseStore cases)
    {
        var id = RequestValues.Id(case_id, "case_id");
        return await cases.DeleteAsync(Tenant.Of(ctx), id) ? Results.NoContent() : throw ApiException.NotFound("case", id);
    }

    private static async Task<CaseRow> Load(HttpContext ctx, string rawId, CaseStore cases)
    {
        var id = RequestValues.Id(rawId, "case_id");
        return await cases.GetAsync(Tenant.Of(ctx), id) ?? throw ApiException.NotFound("case", id);
    }
}
