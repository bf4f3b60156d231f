using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Targets;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Debugging a case (4.3.4): the control plane compiles the case's plan and an executor of the chosen
/// resource group runs its setup and its cards once, for real, as one VU (Executor.Debugging.CaseDebugger):
/// controllers and transactions as they would run for that VU, think times not waited for. Each HTTP exchange
/// comes back whole (request line and headers, status, response headers and body, time, error); other
/// protocols' cards come back with their outcome and time.
/// </summary>
public static class DebugEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}/cases/{case_id}/debug", Debug)
            .WithTags("Runs").WithName("debug_case").AcceptsJson<DebugCaseRequest>()
            .Produces<DebugCaseResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);

    private static async Task<IResult> Debug(HttpContext ctx, string test_suite_id, string task_id, string case_id,
        CaseStore cases, TemplateStore templates, VariableStore variables, ExecutorRegistry registry, ExecutorsOptions options,
        DebugOptions debug, TargetPolicies targets)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = RequestValues.Id(test_suite_id, "test_suite_id");
        RequestValues.Id(task_id, "task_id");
        var caseId = RequestValues.Id(case_id, "case_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        body.RequiredEnum("status", 9);
        var clusterId = body.RequiredLong("cluster_id", -1);
        // The first executor of the chosen group runs it (the embedded one for the shared group).
        var executor = (await registry.ResolveAsync(tenant, body.RequiredString("cluster_type", 64), clusterId))[0];
        body.RequiredInt("without_package", 0, 1);
        body.OptionalEnum("type", 0, 1);
        var row = await cases.GetAsync(tenant, caseId);
        if (row is null || row.ProjectId != projectId)
        {
            throw ApiException.NotFound("case", caseId);
        }
        var plan = await CasePlanner.BuildAsync(tenant, row, projectId, templates, variables, options.AcceptAnyCertificate, targets.For(tenant));
        var reply = await executor.DebugAsync(new DebugRequest
        {
            Case = plan, AcceptAnyCertificate = options.AcceptAnyCertificate, PlanVersion = PlanContract.Version,
            MaxCaptureBytes = debug.MaxCaptureBytes,
        }, ctx.RequestAborted);
        if (reply.Error.Length > 0)
        {
            throw ApiException.BadRequest($"case {caseId} cannot run on executor {executor.Id}: {reply.Error}");
        }
        var results = new JsonArray(reply.Exchanges.Select(e => (JsonNode)ToApi(e, executor.Id)).ToArray());
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", results)));
    }

    /// <summary>
    /// One exchange as the API shows it: an HTTP card's request (line, headers, body) and response (status, headers,
    /// body); a TCP, UDP, WebSocket, MQTT or streaming card's outcome and time, with url "PROTOCOL url" and empty
    /// headers and bodies (these protocols have no request line, headers or status to show).
    /// </summary>
    private static JsonObject ToApi(DebugExchange exchange, string executor) => new()
    {
        ["executor"] = executor,
        ["body"] = exchange.RequestBody,
        ["errorReason"] = exchange.ErrorReason,
        ["header"] = Headers(exchange.RequestHeaders),
        ["name"] = exchange.Card.Name,
        ["path"] = exchange.Card.Path,
        ["responseTime"] = exchange.ResponseTimeMs,
        ["result"] = exchange.Success ? 1 : 0,
        ["returnBody"] = exchange.ResponseBody,
        ["returnBodyBytes"] = exchange.ResponseBodyBytes,
        ["returnBodyTruncated"] = exchange.ResponseBodyCut,
        ["returnHeader"] = Headers(exchange.ResponseHeaders),
        ["statusCode"] = exchange.Status,
        ["url"] = exchange.RequestLine,
    };

    /// <summary>Headers as one object; a header that came more than once is joined with ", ".</summary>
    private static JsonObject Headers(IEnumerable<DebugHeader> headers)
    {
        var joined = new JsonObject();
        foreach (var header in headers)
        {
            joined[header.Name] = joined[header.Name] is null ? header.Value : joined[header.Name]!.GetValue<string>() + ", " + header.Value;
        }
        return joined;
    }
}
