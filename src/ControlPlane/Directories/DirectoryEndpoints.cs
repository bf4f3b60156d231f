using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Projects;

namespace PerfTest.ControlPlane.Directories;

/// <summary>Directory management (4.7 and the SDK's create/update/delete_directory).</summary>
public static class DirectoryEndpoints
{
    private const int DirectoryType = 1;
    private const int CaseType = 2;

    public static void Map(IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/v1/{project_id}/test-suites/{test_suite_id}/directory").WithTags("Directories");
        g.MapGet("", Tree).WithName("list_project_test_case")
            .Produces<ListProjectTestCaseResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        g.MapPost("", Create).WithName("create_directory").AcceptsJson<CreateDirectoryRequest>()
            .Produces<CreateDirectoryResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        g.MapPut("/{directory_id}", Rename).WithName("update_directory").AcceptsJson<UpdateDirectoryRequest>()
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
        g.MapDelete("/{directory_id}", Delete).WithName("delete_directory")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    /// <summary>The case tree, flat: directories (type 1) and the cases in them (type 2), each with its parent.</summary>
    private static async Task<IResult> Tree(HttpContext ctx, string test_suite_id, ProjectStore projects,
        DirectoryStore directories, CaseStore cases)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var items = new JsonArray();
        foreach (var d in await directories.ListAsync(tenant, projectId))
        {
            items.Add(Entry(d.Id, d.Name, 1, d.CreatedUs, d.UpdatedUs, d.ParentId, DirectoryType));
        }
        foreach (var c in await cases.ListInDirectoriesAsync(tenant, projectId))
        {
            items.Add(Entry(c.Id, c.Name, CaseDocument.Status(c), c.CreatedUs, c.UpdatedUs, c.DirectoryId ?? 0, CaseType));
        }
        var page = RequestValues.Page(ctx.Request);
        var paged = new JsonArray(items.Skip(page.Offset).Take(page.Limit).Select(e => e!.DeepClone()).ToArray());
        return ApiJson.Ok(ApiJson.Success(("directory", paged)));
    }

    private static JsonObject Entry(long id, string name, int status, long created, long updated, long parent, int type) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["status"] = status,
        ["create_time"] = ApiTime.Format(created),
        ["update_time"] = ApiTime.Format(updated),
        ["parent_id"] = parent,
        ["type"] = type,
    };

    private static async Task<IResult> Create(HttpContext ctx, string test_suite_id, ProjectStore projects,
        DirectoryStore directories, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        // parent_id is our extension (the SDK sends only name): nest under another directory of the project.
        var parentId = body.OptionalLong("parent_id") ?? 0;
        if (parentId != 0 && (await directories.GetAsync(tenant, parentId))?.ProjectId != projectId)
        {
            throw ApiException.NotFound("directory", parentId);
        }
        var now = ApiTime.NowMicros(clock);
        var doc = (JsonObject)body.Json.DeepClone();
        doc.Remove("name");
        doc.Remove("parent_id");
        var id = await directories.CreateAsync(tenant, new DirectoryRow
        {
            ProjectId = projectId, ParentId = parentId, Name = name, Doc = ApiJson.Serialize(doc), CreatedUs = now, UpdatedUs = now,
        });
        return ApiJson.Ok(ApiJson.Success(("directory_id", id)), 201);
    }

    private static async Task<IResult> Rename(HttpContext ctx, string test_suite_id, string directory_id,
        ProjectStore projects, DirectoryStore directories, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var id = await RequireDirectory(tenant, projectId, directory_id, directories);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        return await directories.RenameAsync(tenant, id, name, ApiTime.NowMicros(clock))
            ? Results.NoContent() : throw ApiException.NotFound("directory", id);
    }

    private static async Task<IResult> Delete(HttpContext ctx, string test_suite_id, string directory_id,
        ProjectStore projects, DirectoryStore directories)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var id = await RequireDirectory(tenant, projectId, directory_id, directories);
        return await directories.DeleteAsync(tenant, id) switch
        {
            DeleteOutcome.Deleted => Results.NoContent(),
            DeleteOutcome.NotEmpty => throw ApiException.Conflict($"directory {id} is not empty: move or delete its cases and directories first"),
            _ => throw ApiException.NotFound("directory", id),
        };
    }


    private static async Task<long> RequireDirectory(string tenant, long projectId, string rawId, DirectoryStore directories)
    {
        var id = RequestValues.Id(rawId, "directory_id");
        var row = await directories.GetAsync(tenant, id);
        return row is not null && row.ProjectId == projectId ? id : throw ApiException.NotFound("directory", id);
    }
}
