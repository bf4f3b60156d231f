using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Planning;

/// <summary>A transaction of the project (4.5), as a block whose content_id names it runs it.</summary>
public sealed record TransactionSource(long Id, string Name, JsonArray Contents);

/// <summary>
/// Compiles a stored case into its typed plan (plan.proto): the one reading of the stored document. The
/// control plane builds it once at start and sends it to every executor; save-time validation reads the
/// same way. Disabled blocks are left out; checkpoint and extraction cards are folded into the packet
/// card before them; a block with a data_type becomes a controller, one whose content_id names a
/// transaction becomes that transaction's steps. What cannot be read is a <see cref="ScriptException"/>
/// naming the field by its path (contents[0].content[1].content.url). What a plan needs to run (a packet card in
/// contents, a stage) is the executor's compiler's to judge (ScriptCompiler, PlanRunner.Compile), once for both.
/// </summary>
public static class PlanBuilder
{
    /// <param name="caseDoc">The case as the API shows it (contents, setup_contents, stages, ...).</param>
    /// <param name="variables">The project's global variables as the API shows them; null when none.</param>
    /// <param name="transactions">The project's transactions that the case's blocks name, by id.</param>
    public static CasePlan Build(JsonObject caseDoc, JsonArray? variables = null, IReadOnlyDictionary<long, TransactionSource>? transactions = null)
    {
        ArgumentNullException.ThrowIfNull(caseDoc);
        var reader = new StepReader(transactions ?? new Dictionary<long, TransactionSource>());
        var plan = new CasePlan
        {
            CaseId = CaseJson.Long(caseDoc, "id") ?? 0,
            CaseName = CaseJson.Text(caseDoc, "name") ?? "",
        };
        plan.Setup.AddRange(reader.Blocks(caseDoc["setup_contents"] as JsonArray, "setup_contents"));
        plan.Steps.AddRange(reader.Blocks(caseDoc["contents"] as JsonArray, "contents"));
        var stages = caseDoc["stages"] as JsonArray ?? [];
        for (var i = 0; i < stages.Count; i++)
        {
            plan.Stages.Add(StageReader.Read(stages[i] as JsonObject ?? throw new ScriptException($"stages[{i}] is not an object"), i));
        }
        plan.Variables.AddRange(VariableReader.ReadAll(variables ?? []));
        return plan;
    }

    /// <summary>The cards a stored script list holds, read for the save-time check (no stages, no transactions' contents).</summary>
    public static void CheckBlocks(JsonArray? blocks, string path) =>
        _ = new StepReader(transactions: null).Blocks(blocks, path);
}
