using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;

namespace PerfTest.ControlPlane.Projects;

/// <summary>PerfTest project management (API reference 4.1).</summary>
public static class ProjectEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/v1/{project_id}/test-suites").WithTags("Projects");
        g.MapGet("", List).WithName("list_project_sets")
            .Produces<ListProjectsResponse>(StatusCodes.Status200OK).WithErrors();
        g.MapPost("", Create).WithName("create_project").AcceptsJson<CreateProjectRequest>()
            .Produces<CreateProjectResponse>(StatusCodes.Status201Created).WithErrors();
        g.MapGet("/upload/processes", ImportProgress).WithName("show_process")
            .Produces<ShowProcessResponse>(StatusCodes.Status200OK).WithErrors();
        g.MapGet("/{test_suite_id}", Show).WithName("show_project")
            .Produces<ShowProjectResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        g.MapPut("/{test_suite_id}", Update).WithName("update_project").AcceptsJson<UpdateProjectRequest>()
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
        g.MapDelete("/{test_suite_id}", Delete).WithName("delete_project")
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> List(HttpContext ctx, ProjectStore store)
    {
        var rows = await store.ListAsync(Tenant.Of(ctx), RequestValues.Page(ctx.Request));
        var projects = new JsonArray();
        foreach (var row in rows)
        {
            var doc = ApiJson.ParseObject(row.Doc);
            projects.Add(new JsonObject
            {
                ["id"] = row.Id,
                ["name"] = row.Name,
                ["description"] = row.Description,
                ["variables_no_file"] = doc["variables_no_file"]?.DeepClone() ?? new JsonArray(),
                ["CreateTime"] = ApiTime.Format(row.CreatedUs),
                ["UpdateTime"] = ApiTime.Format(row.UpdatedUs),
                ["source"] = row.Source,
                ["external_params"] = doc["external_params"]?.DeepClone() ?? new JsonObject(),
            });
        }
        return ApiJson.Ok(ApiJson.Success(("projects", projects)));
    }

    private static async Task<IResult> Create(HttpContext ctx, ProjectStore store, TimeProvider clock)
    {
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var row = Read(body);
        row.CreatedUs = row.UpdatedUs = ApiTime.NowMicros(clock);
        var id = await store.CreateAsync(Tenant.Of(ctx), row);
        return ApiJson.Ok(ApiJson.Success(("project_id", id)), 201);
    }

    private static async Task<IResult> Show(HttpContext ctx, string test_suite_id, ProjectStore store)
    {
        var tenant = Tenant.Of(ctx);
        var id = RequestValues.Id(test_suite_id, "test_suite_id");
        var row = await store.GetAsync(tenant, id) ?? throw ApiException.NotFound("project", id);
        var project = new JsonObject
        {
            ["create_time"] = ApiTime.Format(row.CreatedUs),
            ["description"] = row.Description,
            ["group"] = tenant,
            ["id"] = row.Id,
            ["name"] = row.Name,
            ["source"] = row.Source,
            ["update_time"] = ApiTime.Format(row.UpdatedUs),
        };
        var doc = ApiJson.ParseObject(row.Doc);
        project["variables_no_file"] = new JsonArray();
        project["external_params"] = new JsonObject();
        // Everything else the client stored with the project comes back too.
        foreach (var (key, value) in doc.ToList())
        {
            doc.Remove(key);
            project[key] = value;
        }
        return ApiJson.Ok(ApiJson.Success(("project", project)));
    }

    private static async Task<IResult> Update(HttpContext ctx, string test_suite_id, ProjectStore store, TimeProvider clock)
    {
        var id = RequestValues.Id(test_suite_id, "test_suite_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var bodyId = body.RequiredLong("id");
        if (bodyId != id)
        {
            throw ApiException.BadRequest($"id is {bodyId} but the path names project {id}");
        }
        var row = Read(body);
        row.Id = id;
        row.UpdatedUs = ApiTime.NowMicros(clock);
        return await store.UpdateAsync(Tenant.Of(ctx), row) ? Results.NoContent() : throw ApiException.NotFound("project", id);
    }

    private static async Task<IResult> Delete(HttpContext ctx, string test_suite_id, ProjectStore store, Runs.RunCoordinator coordinator)
    {
        var id = RequestValues.Id(test_suite_id, "test_suite_id");
        await coordinator.EnsureProjectNotRunningAsync(Tenant.Of(ctx), id);
        return await store.DeleteAsync(Tenant.Of(ctx), id) ? Results.NoContent() : throw ApiException.NotFound("project", id);
    }

    /// <summary>
    /// Projects are created directly, never imported, so there is never an import under way:
    /// the progress is an empty, finished list.
    /// </summary>
    private static IResult ImportProgress() => ApiJson.Ok(ApiJson.Success(
        ("json", new JsonObject { ["details"] = new JsonArray(), ["process_status"] = 1 }),
        ("extend", null)));

    private static ProjectRow Read(Fields body)
    {
        var row = new ProjectRow
        {
            Name = body.RequiredString("name", Limits.Name, allowEmpty: false),
            Description = body.OptionalString("description", Limits.Description) ?? "",
            Source = body.OptionalEnum("source", 0, 2) ?? 0,
        };
        body.OptionalArray("variables_no_file");
        body.OptionalObject("external_params");
        var doc = (JsonObject)body.Json.DeepClone();
        foreach (var column in new[] { "id", "name", "description", "source" })
        {
            doc.Remove(column);
        }
        row.Doc = ApiJson.Serialize(doc);
        return row;
    }
}
