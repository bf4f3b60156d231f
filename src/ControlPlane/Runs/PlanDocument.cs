using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// The document an executor compiles for one case run: the case as stored, plus what it refers to
/// elsewhere in the project, resolved once at start so every executor runs the same thing and the
/// run's stored plan says exactly what ran:
/// <list type="bullet">
/// <item><c>plan_variables</c>: the project's global variables, as the API shows them;</item>
/// <item><c>plan_transaction</c> on each block whose <c>content_id</c> names a transaction: its id, name and contents.</item>
/// </list>
/// </summary>
public static class PlanDocument
{
    public const string VariablesMember = "plan_variables";
    public const string TransactionMember = "plan_transaction";

    public static async Task<JsonObject> BuildAsync(string tenant, CaseRow row, long projectId, TemplateStore templates, VariableStore variables)
    {
        var doc = CaseDocument.ToDetail(row);
        var list = new JsonArray();
        foreach (var variable in await variables.ListAsync(tenant, projectId, null, new Page(0, int.MaxValue)))
        {
            list.Add(VariableEndpoints.ToApi(variable));
        }
        doc[VariablesMember] = list;
        foreach (var member in new[] { "setup_contents", "contents" })
        {
            await AttachTransactionsAsync(tenant, projectId, doc[member] as JsonArray, member, templates);
        }
        return doc;
    }

    private static async Task AttachTransactionsAsync(string tenant, long projectId, JsonArray? blocks, string member, TemplateStore templates)
    {
        for (var i = 0; i < (blocks?.Count ?? 0); i++)
        {
            if (blocks![i] is not JsonObject block || block["content_id"] is not JsonValue v || !v.TryGetValue(out long id) || id == 0)
            {
                continue;
            }
            var template = await templates.GetAsync(tenant, id);
            if (template is null || template.ProjectId != projectId)
            {
                throw ApiException.BadRequest($"{member}[{i}].content_id {id} names no transaction of this project");
            }
            var contents = ApiJson.ParseObject(template.Doc)["contents"]?.DeepClone() ?? new JsonArray();
            block[TransactionMember] = new JsonObject { ["id"] = template.Id, ["name"] = template.Name, ["contents"] = contents };
        }
    }
}
