using System.Text.Json;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Projects;

namespace PerfTest.ControlPlane.Variables;

/// <summary>Global variable management (4.4).</summary>
public static class VariableEndpoints
{
    private static readonly int[] Types = [1, 2, 3, 5];

    public static void Map(IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/v1/{project_id}/variables").WithTags("Variables");
        g.MapGet("/{variable_type}/test-suites/{test_suite_id}", List).WithName("list_variables")
            .Produces<ListVariablesResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
        g.MapPost("/{test_suite_id}", Create).WithName("create_variable").AcceptsJson<IReadOnlyList<CreateVariableRequestBody>>()
            .Produces<CreateVariableResponse>(StatusCodes.Status201Created)
            .WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        g.MapPut("/{test_suite_id}", Update).WithName("update_variable").AcceptsJson<IReadOnlyList<UpdateVariableRequestBody>>()
            .Produces<UpdateVariableResponse>(StatusCodes.Status201Created)
            .WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        g.MapDelete("", Delete).WithName("delete_variable")
            .Produces<SuccessBody>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
    }

    /// <summary>variable_type 0 lists every type; 1, 2, 3 and 5 list that type only.</summary>
    private static async Task<IResult> List(HttpContext ctx, string variable_type, string test_suite_id,
        ProjectStore projects, VariableStore variables)
    {
        var type = (int)RequestValues.Id(variable_type, "variable_type");
        if (type != 0 && Array.IndexOf(Types, type) < 0)
        {
            throw ApiException.BadRequest($"variable_type is {type}; it must be 0 (all), 1, 2, 3 or 5");
        }
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var list = new JsonArray();
        foreach (var row in await variables.ListAsync(Tenant.Of(ctx), projectId, type == 0 ? null : type, RequestValues.Page(ctx.Request)))
        {
            var item = ToApi(row);
            list.Add(item);
        }
        return ApiJson.Ok(ApiJson.Success(("variable_list", list)));
    }

    private static async Task<IResult> Create(HttpContext ctx, string test_suite_id, ProjectStore projects,
        VariableStore variables, TimeProvider clock)
    {
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var rows = await ReadRows(ctx, projectId, clock, forUpdate: false);
        var ids = await variables.CreateAsync(Tenant.Of(ctx), rows);
        return ApiJson.Ok(ApiJson.Success(("json", new JsonObject
        {
            ["variable_id"] = ids[0],
            ["variable_ids"] = new JsonArray(ids.Select(id => (JsonNode)id).ToArray()),
        })), 201);
    }

    private static async Task<IResult> Update(HttpContext ctx, string test_suite_id, ProjectStore projects,
        VariableStore variables, TimeProvider clock)
    {
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), test_suite_id);
        var rows = await ReadRows(ctx, projectId, clock, forUpdate: true);
        await variables.UpdateAsync(Tenant.Of(ctx), rows);
        return ApiJson.Ok(ApiJson.Success(("json", new JsonObject { ["variable_id"] = rows[0].Id })), 201);
    }

    private static async Task<IResult> Delete(HttpContext ctx, ProjectStore projects, VariableStore variables)
    {
        var id = RequestValues.QueryId(ctx.Request, "variable_id");
        var projectId = await projects.RequireAsync(Tenant.Of(ctx), ctx.Request.Query["test_suite_id"].ToString());
        return await variables.DeleteAsync(Tenant.Of(ctx), projectId, id)
            ? ApiJson.Ok(ApiJson.Success())
            : throw ApiException.NotFound("variable", id);
    }

    private static async Task<List<VariableRow>> ReadRows(HttpContext ctx, long projectId, TimeProvider clock, bool forUpdate)
    {
        var array = await JsonBody.ReadArrayAsync(ctx.Request);
        if (array.Count == 0)
        {
            throw ApiException.BadRequest("request body must hold at least one variable");
        }
        var now = ApiTime.NowMicros(clock);
        var rows = new List<VariableRow>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject obj)
            {
                throw ApiException.BadRequest($"[{i}] must be an object, not {Fields.Kind(array[i])}");
            }
            var row = ReadRow(new Fields(obj, $"[{i}]"), projectId, now, forUpdate);
            if (!names.Add(row.Name))
            {
                throw ApiException.BadRequest($"[{i}].name '{row.Name}' is given more than once");
            }
            rows.Add(row);
        }
        return rows;
    }

    private static VariableRow ReadRow(Fields v, long projectId, long now, bool forUpdate)
    {
        // The docs mark id mandatory on create too, but their own example leaves it out: a new variable has no id yet.
        // The server assigns ids on create; an id sent there is checked for type and not used.
        var id = forUpdate ? v.RequiredLong("id") : 0;
        if (!forUpdate)
        {
            v.OptionalLong("id");
        }
        var name = v.RequiredString("name", Limits.Name, allowEmpty: false);
        var type = v.RequiredEnum("variable_type", Types);
        var values = v.RequiredArray("variable");
        if (!forUpdate)
        {
            v.RequiredBool("is_quoted");
        }
        v.OptionalEnum("variable_mode", 0, 1);
        v.OptionalEnum("share_mode", 0, 1);
        CheckValues(v, type, values);
        CheckRunnable(v);
        var doc = (JsonObject)v.Json.DeepClone();
        doc.Remove("id");
        doc.Remove("name");
        return new VariableRow
        {
            Id = id, ProjectId = projectId, Name = name, VariableType = type,
            Doc = ApiJson.Serialize(doc), CreatedUs = now, UpdatedUs = now,
        };
    }

    /// <summary>A stored variable as the API shows it (documented defaults first, then what the client stored).</summary>
    public static JsonObject ToApi(VariableRow row)
    {
        var doc = ApiJson.ParseObject(row.Doc);
        var item = new JsonObject
        {
            ["file_size"] = 0, ["id"] = row.Id, ["is_quoted"] = false, ["name"] = row.Name,
            ["share_mode"] = 0, ["variable"] = new JsonArray(), ["variable_mode"] = 0, ["variable_type"] = row.VariableType,
        };
        foreach (var (key, value) in doc.ToList())
        {
            doc.Remove(key);
            item[key] = value;
        }
        return item;
    }

    /// <summary>
    /// What the executor will refuse to draw from is refused here already (a text variable with two values,
    /// an enumeration value that is a list): a saved variable always runs. The executor's message names the
    /// field as variables[0].x; here it is named by its place in the request.
    /// </summary>
    private static void CheckRunnable(Fields v)
    {
        try
        {
            Executor.Planning.VariableReader.Read(v.Json, "variables[0]");
        }
        catch (VariableDefinitionException e)
        {
            const string Prefix = "variables[0].";
            var message = e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? v.PathOf(e.Message[Prefix.Length..]) : e.Message;
            throw ApiException.BadRequest(message);
        }
    }

    /// <summary>Type 1 is an integer range [from, to]; the other types are lists of values.</summary>
    private static void CheckValues(Fields v, int type, JsonArray values)
    {
        var path = v.PathOf("variable");
        if (type == 1)
        {
            if (values.Count != 2 || values.Any(x => x?.GetValueKind() != JsonValueKind.Number || !x.AsValue().TryGetValue(out long _)))
            {
                throw ApiException.BadRequest($"{path} of an integer variable (type 1) must be [from, to], two integers");
            }
            if (values[0]!.GetValue<long>() > values[1]!.GetValue<long>())
            {
                throw ApiException.BadRequest($"{path} is [{values[0]}, {values[1]}]; from must not be greater than to");
            }
            return;
        }
        if (values.Count == 0)
        {
            throw ApiException.BadRequest($"{path} must hold at least one value");
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null or JsonObject)
            {
                throw ApiException.BadRequest($"{path}[{i}] must be a value or a row of values, not {Fields.Kind(values[i])}");
            }
        }
    }

}
