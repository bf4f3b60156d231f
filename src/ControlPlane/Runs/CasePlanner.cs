using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Compiles a stored case into its typed plan (plan.proto) at start, once: the case as stored plus what it
/// refers to elsewhere in the project (its global variables, the transactions its blocks name), resolved now
/// so every executor runs the same thing and the case run's stored plan says exactly what ran. The plan is
/// then checked with the executors' own compiler (same build: plan versions are checked at registration),
/// so a case that cannot run is a 400 naming the card at start, never a run that fails on its executors. The plan
/// carries the project's target policy (Targets.TargetPolicies): a card aimed at a refused address is such a case.
/// </summary>
public static class CasePlanner
{
    public static async Task<CasePlan> BuildAsync(string tenant, CaseRow row, long projectId, TemplateStore templates, VariableStore variables,
        bool acceptAnyCertificate, TargetRules targets)
    {
        var doc = CaseDocument.ToDetail(row);
        var list = new JsonArray();
        foreach (var variable in await variables.ListAsync(tenant, projectId, null, new Page(0, int.MaxValue)))
        {
            list.Add(VariableEndpoints.ToApi(variable));
        }
        var transactions = new Dictionary<long, TransactionSource>();
        foreach (var member in new[] { "setup_contents", "contents" })
        {
            await CollectTransactionsAsync(tenant, projectId, doc[member] as JsonArray, member, templates, transactions);
        }
        try
        {
            var plan = PlanBuilder.Build(doc, list, transactions);
            plan.Targets = targets;
            PlanRunner.Compile(new RunPlan { Case = plan, ExecutorCount = 1, AcceptAnyCertificate = acceptAnyCertificate, PlanVersion = PlanContract.Version });
            return plan;
        }
        catch (Exception e) when (e is ScriptException or VariableDefinitionException)
        {
            throw ApiException.BadRequest($"case {row.Id} ({row.Name}) cannot run: {e.Message}");
        }
    }

    /// <summary>The project's transactions that enabled blocks name (transactions' own blocks may name others).</summary>
    private static async Task CollectTransactionsAsync(string tenant, long projectId, JsonArray? blocks, string member, TemplateStore templates,
        Dictionary<long, TransactionSource> found)
    {
        for (var i = 0; i < (blocks?.Count ?? 0); i++)
        {
            if (blocks![i] is not JsonObject block || block["content_id"] is not JsonValue v || !v.TryGetValue(out long id) || id == 0
                || found.ContainsKey(id))
            {
                continue;
            }
            var template = await templates.GetAsync(tenant, id);
            if (template is null || template.ProjectId != projectId)
            {
                throw ApiException.BadRequest($"{member}[{i}].content_id {id} names no transaction of this project");
            }
            var contents = ApiJson.ParseObject(template.Doc)["contents"]?.DeepClone() as JsonArray ?? [];
            found[id] = new TransactionSource(template.Id, template.Name, contents);
            await CollectTransactionsAsync(tenant, projectId, contents, $"{member}[{i}].transaction.contents", templates, found);
        }
    }
}
