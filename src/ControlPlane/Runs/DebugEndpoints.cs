using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Tasks;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Debugging a case (4.3.4): its setup and its requests run once, for real, from the control
/// plane, and each HTTP exchange comes back whole (request line and headers, status, response
/// headers and body, time, error); other protocols' cards come back with their outcome and time.
/// Think times are not waited for.
/// </summary>
public static class DebugEndpoints
{
    private const int MaxBodyChars = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}/cases/{case_id}/debug", Debug)
            .WithTags("Runs").WithName("debug_case").AcceptsJson<DebugCaseRequest>()
            .Produces<DebugCaseResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);

    private static async Task<IResult> Debug(HttpContext ctx, string test_suite_id, string task_id, string case_id,
        CaseStore cases, TemplateStore templates, VariableStore variables, ExecutorRegistry registry, ExecutorsOptions options)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = RequestValues.Id(test_suite_id, "test_suite_id");
        RequestValues.Id(task_id, "task_id");
        var caseId = RequestValues.Id(case_id, "case_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        body.RequiredEnum("status", 9);
        var clusterId = body.RequiredLong("cluster_id", -1);
        registry.Resolve(body.RequiredString("cluster_type", 64), clusterId);
        body.RequiredInt("without_package", 0, 1);
        body.OptionalEnum("type", 0, 1);
        var row = await cases.GetAsync(tenant, caseId);
        if (row is null || row.ProjectId != projectId)
        {
            throw ApiException.NotFound("case", caseId);
        }
        var plan = await PlanDocument.BuildAsync(tenant, row, projectId, templates, variables);
        CompiledScript script;
        try
        {
            (script, _) = PlanRunner.Compile(new RunPlan { CaseJson = plan.ToJsonString(), ExecutorCount = 1, AcceptAnyCertificate = options.AcceptAnyCertificate });
        }
        catch (ScriptException e)
        {
            throw ApiException.BadRequest($"case {caseId} cannot run: {e.Message}");
        }
        var results = new JsonArray();
        // One VU: extracted values flow into later cards, global variables are drawn once, clients are kept.
        var recorder = new RunRecorder(script.Requests.Count);
        await using var vu = new VirtualUser(recorder, script.ConnectionSlots, ctx.RequestAborted, script.Globals);
        vu.Variables.BeginIteration();
        foreach (var card in script.Setup.Concat(script.Main).OfType<IPacketCard>())
        {
            results.Add(card is HttpPacketCard http
                ? await RunOnce(http, vu.Variables, ctx.RequestAborted)
                : await RunProtocolOnce(card, script.Requests[card.Key], vu, recorder, ctx.RequestAborted));
        }
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", results)));
    }

    /// <summary>
    /// A TCP, UDP, WebSocket, MQTT or streaming card, run once as a VU runs it: its outcome and time as the run's
    /// report would count them. These protocols have no request line, headers or status to show.
    /// </summary>
    private static async Task<JsonObject> RunProtocolOnce(IPacketCard card, RequestCardInfo info, VirtualUser vu, RunRecorder recorder,
        CancellationToken cancellationToken)
    {
        await card.ExecuteAsync(vu, cancellationToken);
        var recorded = recorder.Rotate(0).Keys.Single(k => k.Key == card.Key);
        var outcome = recorded.Requests == 0 ? Outcome.Other : (Outcome)Array.FindIndex(recorded.Outcomes, n => n > 0);
        return new JsonObject
        {
            ["body"] = "",
            ["errorReason"] = outcome == Outcome.Success ? "" : ProtocolReason(outcome),
            ["header"] = new JsonObject(),
            ["name"] = card.Name,
            ["responseTime"] = recorded.MaxMicros / 1000,
            ["result"] = outcome == Outcome.Success ? 1 : 0,
            ["returnBody"] = "",
            ["returnHeader"] = new JsonObject(),
            ["statusCode"] = "",
            ["url"] = $"{info.Method} {info.Url}",
        };
    }

    private static string ProtocolReason(Outcome outcome) => outcome switch
    {
        Outcome.CheckpointFailed => "a checkpoint failed, or the server refused the exchange (MQTT reason code, RTMP or HTTP-FLV play refused)",
        Outcome.ParseFailed => "the answer did not end as the card's end rule says, could not be parsed, or an extraction found nothing",
        Outcome.Refused => "the connection was refused or reset",
        Outcome.Timeout => "the connection or the answer timed out",
        _ => "the exchange failed (DNS, TLS, connection closed, or a rendered message that is not valid)",
    };

    private static async Task<JsonObject> RunOnce(HttpPacketCard card, VariableScope variables, CancellationToken cancellationToken)
    {
        BuiltRequest built;
        try
        {
            built = card.Built.Templated?.Render(variables) ?? card.Built;
        }
        catch (RequestRenderException e)
        {
            return new JsonObject { ["name"] = card.Name, ["result"] = 0, ["errorReason"] = e.Message, ["url"] = card.Built.Templated!.UrlText };
        }
        await using var connection = new Http1Connection(card.Options);
        var capture = new HttpResponseCapture();
        var started = Stopwatch.GetTimestamp();
        var result = await connection.SendAsync(built.Template, capture, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!card.Rules.IsEmpty)
        {
            result = card.Rules.Apply(result, capture, variables);  // checkpoints and extractions, as in a run
        }
        var header = new JsonObject { ["Host"] = built.Template.Url.Authority };
        foreach (var (key, value) in built.Headers)
        {
            header[key] = value;
        }
        var returnHeader = new JsonObject();
        foreach (var (key, value) in capture.Headers)
        {
            returnHeader[key] = returnHeader[key] is null ? value : returnHeader[key]!.GetValue<string>() + ", " + value;
        }
        var status = capture.StatusLine is { } line && line.IndexOf(' ', StringComparison.Ordinal) is var sp and > 0 ? line[(sp + 1)..] : "";
        return new JsonObject
        {
            ["body"] = Text(built.Body),
            ["errorReason"] = result.Outcome == Outcome.Success ? "" : Reason(result),
            ["header"] = header,
            ["name"] = card.Name,
            ["responseTime"] = (long)elapsed.TotalMilliseconds,
            ["result"] = result.Outcome == Outcome.Success ? 1 : 0,
            ["returnBody"] = Text(capture.Body),
            ["returnHeader"] = returnHeader,
            ["statusCode"] = status,
            ["url"] = $"{built.Template.Method} {built.Template.Url}",
        };
    }

    private static string Reason(RequestResult result) => result.Outcome switch
    {
        Outcome.CheckpointFailed => result.StatusCode is >= 200 and < 400 ? "a checkpoint failed" : $"status code {result.StatusCode} is not 2xx or 3xx",
        Outcome.ParseFailed => "the response could not be parsed as HTTP/1.1, or an extraction found nothing",
        Outcome.Refused => "the connection was refused or reset",
        Outcome.Timeout => "the connection or the response timed out",
        _ => "the request failed (DNS, TLS or connection closed)",
    };

    private static string Text(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + "...";
    }
}
