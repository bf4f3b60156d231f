using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Tests;

/// <summary>Stored cases (JSON) compiled the way a run does: read into a typed plan (PlanBuilder), then compiled by the executor.</summary>
internal static class TestPlans
{
    /// <summary>Targets on loopback allowed, as a control plane configured with Targets:Allow 127.0.0.0/8 sends them.</summary>
    public static TargetRules Loopback => new() { AllowNetworks = { "127.0.0.0/8", "::1/128" } };

    /// <summary>The plan of a case; a case without stages gets one (these tests are about its cards). Its targets may be on loopback.</summary>
    public static CasePlan Plan(JsonObject caseDoc, JsonArray? variables = null)
    {
        caseDoc["stages"] ??= JsonNode.Parse("""[ { "operate_mode": 0, "time": 1 } ]""");
        var plan = PlanBuilder.Build(caseDoc, variables);
        plan.Targets = Loopback;
        return plan;
    }

    public static CompiledScript Compile(JsonObject caseDoc, bool acceptAnyCertificate = false, IGlobalVariables? globals = null) =>
        ScriptCompiler.Compile(Plan(caseDoc), acceptAnyCertificate, globals);

    public static CompiledScript Compile(string caseJson, bool acceptAnyCertificate = false, IGlobalVariables? globals = null) =>
        Compile((JsonObject)JsonNode.Parse(caseJson)!, acceptAnyCertificate, globals);

    /// <summary>A run plan of a case as stored (stages included), for executor index 0 of <paramref name="executors"/>; targets on loopback allowed.</summary>
    public static RunPlan RunPlan(string caseJson, int executors = 1)
    {
        var plan = PlanBuilder.Build((JsonObject)JsonNode.Parse(caseJson)!);
        plan.Targets = Loopback;
        return new RunPlan { Case = plan, ExecutorCount = executors, PlanVersion = PlanContract.Version };
    }

    /// <summary>
    /// A run plan of a case under <paramref name="stagesJson"/>: a TCP card to a closed loopback port (refused at once,
    /// no peer needed), then 100 ms of think time (keeps a VU alive without spinning).
    /// </summary>
    public static RunPlan ClosedPortPlan(string stagesJson) => RunPlan($$"""
        { "contents": [ { "content": [
            { "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.1:1", "bodys": [ "x" ] } },
            { "content_type": 1, "content": { "think_time": 100 } } ] } ],
          "stages": {{stagesJson}} }
        """);

    /// <summary>A checkpoint card's content read and compiled as in a run; <paramref name="path"/> names it in errors.</summary>
    public static Executor.Scripting.Checks.Checkpoint Checkpoint(string content, string path = "c") =>
        Executor.Scripting.Checks.Checkpoint.From(RuleReader.Checkpoint((JsonObject)JsonNode.Parse(content)!, path));

    /// <summary>An extraction card's content read and compiled as in a run.</summary>
    public static List<Executor.Scripting.Extraction.Extractor> Extractions(string content, string path = "e") =>
        [.. RuleReader.Extractions((JsonObject)JsonNode.Parse(content)!, path).Select(Executor.Scripting.Extraction.Extractor.From)];

    /// <summary>The request keys as the API's content_method_url lists them: "name#METHOD#URL".</summary>
    public static IEnumerable<string> MethodUrls(CompiledScript script) =>
        script.Keys.Where(k => k.Kind == MetricKeyKind.Request).Select(k => $"{k.Name}#{k.Method}#{k.Url}");
}
