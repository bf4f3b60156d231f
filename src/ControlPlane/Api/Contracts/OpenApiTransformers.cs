using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PerfTest.ControlPlane.Api.Contracts;

/// <summary>
/// Fills in what the generator cannot see. The handlers take their path values as strings (so that
/// a bad id gets our own 400 message) and read the query and body by hand, so the generated document
/// has string ids, no {project_id} (no handler binds it; the auth middleware reads it) and no query
/// parameters. This adds them from the route template and from the documented contract.
/// </summary>
public static partial class OpenApiTransformers
{
    public const string TokenScheme = "X-Auth-Token";
    public const string SignatureScheme = "SDK-HMAC-SHA256";

    /// <summary>Operations whose handler reads offset/limit (RequestValues.Page).</summary>
    private static readonly HashSet<string> Paginated = new(StringComparer.Ordinal)
    {
        "list_project_sets", "show_task_set", "list_variables", "show_temp_set", "list_project_test_case", "list_task_cases",
        "show_history_run_info",
    };

    public static void Register(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            DescribeDocument(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            DescribeOperation(operation, context);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, _, _) =>
        {
            StrictNumbers(schema);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The generator follows the web JSON defaults, which read numbers from strings too, and so
    /// types every integer as integer-or-numeric-string. The API takes JSON numbers only (Fields
    /// rejects "12"), so the document says integer.
    /// </summary>
    private static void StrictNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "PerfTest API";
        document.Info.Description = "The CodeArts PerfTest REST API as served by PerfTest. "
            + "Errors are {\"error_code\",\"error_msg\"}. Authenticate with X-Auth-Token or an SDK-HMAC-SHA256 AK/SK signature.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Auth-Token",
            Description = "A token configured in Auth:Tokens (in place of an IAM user token).",
        };
        document.Components.SecuritySchemes[SignatureScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "AK/SK request signing as the Huawei Cloud SDKs do it: "
                + "\"SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;...>, Signature=<hex>\", "
                + "with the signing time in the X-Sdk-Date header (yyyyMMddTHHmmssZ, UTC) and X-Sdk-Date among the signed headers.",
        };
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var parameters = PathParameters(context.Description.RelativePath ?? "");
        // Keep whatever else the generator found (none today), but not its untyped path parameters.
        parameters.AddRange(operation.Parameters?.Where(p => p.In != ParameterLocation.Path) ?? []);
        if (operation.OperationId is { } id && Paginated.Contains(id))
        {
            parameters.Add(Query("offset", "Records to skip (default 0).", required: false, Integer("int32")));
            parameters.Add(Query("limit", $"Records to return (default and at most {Limits.MaxPageSize}).", required: false,
                Integer("int32", maximum: Limits.MaxPageSize)));
        }
        if (operation.OperationId == "delete_variable")
        {
            parameters.Add(Query("variable_id", "Global variable id (json.variable_id of create_variable).", required: true, Integer("int64")));
            parameters.Add(Query("test_suite_id", "PerfTest project id (project_id of create_project).", required: true, Integer("int64")));
        }
        if (operation.OperationId == "show_report")
        {
            parameters.Add(Query("brokens_limit_count", "Number of points of each curve: the per-second values are averaged "
                + "(virtual users: maximum) into this many points; 0, or at least the run's seconds, gives every second (at most 100000 are used).",
                required: true, Integer("int64")));
        }
        operation.Parameters = parameters;

        // See EndpointDocumentation.AnyContentType: "*/*" is only there to keep routing out of content negotiation.
        operation.RequestBody?.Content?.Remove(EndpointDocumentation.AnyContentType);

        // Either scheme on its own is enough: two requirements, each with one scheme.
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(TokenScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SignatureScheme, context.Document)] = [] },
        ];
    }

    /// <summary>One parameter per {name} of the route template, in template order.</summary>
    private static List<IOpenApiParameter> PathParameters(string template) =>
        RouteParameter().Matches(template).Select(m => (IOpenApiParameter)PathParameter(m.Groups[1].Value)).ToList();

    private static OpenApiParameter PathParameter(string name) => name switch
    {
        "project_id" => Path(name, "IAM project id (1-64 letters, digits, '-' or '_').",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,64}$" }),
        "target" => Path(name, "Which part of the case the update is about: content (contents), stage (stages), name, or all (the whole case).",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["content", "stage", "name", "all"] }),
        "variable_type" => Path(name, "Variable type to list: 0 all, 1 integer, 2 enumeration, 3 file, 5 text.", Integer("int32")),
        "test_suite_id" or "test_suit_id" => Path(name, "PerfTest project id (project_id of create_project).", Integer("int64")),
        "task_run_id" => Path(name, "Id of the task run, that is, the report id (task_run_id of update_task_status or batch_update_task_status).",
            Integer("int64")),
        "case_run_id" => Path(name, "Id of the case run: result.case_aw_info_list[].case_uri_i (or testcaseId) of show_merge_task_case.",
            Integer("int64")),
        "detail_id" => Path(name, "Detail id of a request of the case run, \"<case_run_id>-<key>\" (e.g. \"12-0\"): "
            + "an id of result.case_aw_info_list[].aw of show_merge_task_case; \"<case_run_id>\" or \"<case_run_id>--1\" is the whole case.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+(-(-1|[0-9]+))?$" }),
        "id" => Path(name, "Batch id: extend.batch_id of batch_update_task_status (32 hexadecimal characters).",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9A-Fa-f]{32}$", MinLength = 32, MaxLength = 32 }),
        "command" => Path(name, "start: start every task of the batch; stop: stop them.",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["start", "stop"] }),
        _ => Path(name, $"Id of the {name.Replace("_id", "", StringComparison.Ordinal).Replace('_', ' ')}.", Integer("int64")),
    };

    private static OpenApiParameter Path(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Path, Required = true, Description = description, Schema = schema };

    private static OpenApiParameter Query(string name, string description, bool required, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Required = required, Description = description, Schema = schema };

    /// <summary>Ids and page values are non-negative integers (RequestValues rejects anything else with 400).</summary>
    private static OpenApiSchema Integer(string format, int? maximum = null) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = format,
        Minimum = "0",
        Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)")]
    private static partial Regex RouteParameter();
}
