using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Projects;

namespace PerfTest.ControlPlane.Templates;

/// <summary>Transaction management (4.5).</summary>
public static class TemplateEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/{project_id}/all-templates/{test_suite_id}", List).WithTags("Transactions").WithName("show_temp_set")
            .Produces<ListTemplatesResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        var g = api.MapGroup("/v1/{project_id}/templates").WithTags("Transactions");
        g.MapPost("", Create).WithName("create_temp").AcceptsJson<CreateTemplateRequest>()
            .Produces<CreateTemplateResponse>(StatusCodes.Status201Created).WithErrors(StatusCodes.Status404NotFound);
        g.MapGet("/{template_id}", Show).WithName("show_temp")
            .Produces<ShowTemplateResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        g.MapPut("/{template_id}", Update).WithName("update_temp").AcceptsJson<UpdateTemplateRequest>()
            .Produces(StatusCodes.Status204NoContent).WithErrors(StatusCodes.Status404NotFound);
        g.MapDelete("/{template_id}", Delete).WithName("delete_temp")
            .Produces<SuccessBody>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> List(HttpContext ctx, string test_suite_id, ProjectStore projects, TemplateStore templates)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = await projects.RequireAsync(tenant, test_suite_id);
        var list = new JsonArray();
        foreach (var row in await templates.ListAsync(tenant, projectId, RequestValues.Page(ctx.Request)))
        {
            var doc = ApiJson.ParseObject(row.Doc);
            list.Add(new JsonObject
            {
                ["description"] = doc["description"]?.DeepClone() ?? "",
                ["id"] = row.Id,
                ["is_quoted"] = false,
                ["name"] = row.Name,
                ["temp_type"] = doc["temp_type"]?.DeepClone() ?? 0,
                ["update_time"] = ApiTime.Format(row.UpdatedUs),
            });
        }
        return ApiJson.Ok(ApiJson.Success(("temps", list)));
    }

    private static async Task<IResult> Create(HttpContext ctx, ProjectStore projects, TemplateStore templates, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var projectId = body.RequiredLong("project_id");
        body.RequiredLong("temp_type", 0, int.MaxValue);
        var name = Validate(body);
        if (!await projects.ExistsAsync(tenant, projectId))
        {
            throw ApiException.NotFound("project", projectId);
        }
        var now = ApiTime.NowMicros(clock);
        var id = await templates.CreateAsync(tenant, new TemplateRow
        {
            ProjectId = projectId, Name = name, Doc = Document(body), CreatedUs = now, UpdatedUs = now,
        });
        return ApiJson.Ok(ApiJson.Success(("tempId", id)), 201);
    }

    private static async Task<IResult> Show(HttpContext ctx, string template_id, TemplateStore templates)
    {
        var row = await Load(ctx, template_id, templates);
        var info = new JsonObject
        {
            ["id"] = row.Id,
            ["project_id"] = row.ProjectId,
            ["name"] = row.Name,
            ["description"] = "",
            ["variables"] = null,
            ["contents"] = new JsonArray(),
            ["temp_type"] = 0,
            ["for_loop_params"] = new JsonArray(),
            ["logic_controller"] = new JsonObject { ["for_loop_params"] = null, ["condition"] = null },
            ["enable_pre"] = false,
        };
        var doc = ApiJson.ParseObject(row.Doc);
        foreach (var (key, value) in doc.ToList())
        {
            doc.Remove(key);
            info[key] = value;
        }
        return ApiJson.Ok(ApiJson.Success(("temp_info", info)));
    }

    private static async Task<IResult> Update(HttpContext ctx, string template_id, TemplateStore templates, TimeProvider clock)
    {
        var row = await Load(ctx, template_id, templates);
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var id = body.RequiredLong("id");
        if (id != row.Id)
        {
            throw ApiException.BadRequest($"id is {id} but the path names transaction {row.Id}");
        }
        var projectId = body.RequiredLong("project_id");
        if (projectId != row.ProjectId)
        {
            throw ApiException.BadRequest($"project_id is {projectId} but transaction {row.Id} belongs to project {row.ProjectId}");
        }
        body.OptionalLong("temp_type", 0, int.MaxValue);
        row.Name = Validate(body);
        row.Doc = Document(body);
        row.UpdatedUs = ApiTime.NowMicros(clock);
        return await templates.UpdateAsync(Tenant.Of(ctx), row) ? Results.NoContent() : throw ApiException.NotFound("transaction", row.Id);
    }

    private static async Task<IResult> Delete(HttpContext ctx, string template_id, TemplateStore templates)
    {
        var id = RequestValues.Id(template_id, "template_id");
        return await templates.DeleteAsync(Tenant.Of(ctx), id)
            ? ApiJson.Ok(ApiJson.Success())
            : throw ApiException.NotFound("transaction", id);
    }

    private static string Validate(Fields body)
    {
        var name = body.RequiredString("name", Limits.Name, allowEmpty: false);
        body.OptionalString("description", Limits.Description);
        body.OptionalBool("enable_pre");
        body.OptionalArray("for_loop_params");
        CaseScriptValidator.ValidateContents(body, "contents");
        return name;
    }

    /// <summary>What the client sent, less the members kept in columns.</summary>
    private static string Document(Fields body)
    {
        var doc = (JsonObject)body.Json.DeepClone();
        doc.Remove("id");
        doc.Remove("project_id");
        doc.Remove("name");
        return ApiJson.Serialize(doc);
    }

    private static async Task<TemplateRow> Load(HttpContext ctx, string rawId, TemplateStore templates)
    {
        var id = RequestValues.Id(rawId, "template_id");
        return await templates.GetAsync(Tenant.Of(ctx), id) ?? throw ApiException.NotFound("transaction", id);
    }
}
