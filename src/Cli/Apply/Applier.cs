using System.Text.Json.Nodes;
using PerfTest.Cli.Http;

namespace PerfTest.Cli.Apply;

/// <summary>
/// Makes the tenant match a <see cref="TestFile"/>: each object is found by name (project among the tenant's
/// projects, the rest within that project or task), created when missing, updated when a declared member differs
/// from what is stored, else left alone. Nothing that the file does not declare is deleted or changed.
/// </summary>
public sealed class Applier(ApiClient api, TextWriter output, CancellationToken ct)
{
    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }

    public async Task ApplyAsync(TestFile file)
    {
        var projectId = await ProjectAsync(file.Project);
        foreach (var variable in file.Variables)
        {
            await VariableAsync(projectId, variable);
        }
        foreach (var transaction in file.Transactions)
        {
            await TransactionAsync(projectId, transaction);
        }
        foreach (var task in file.Tasks)
        {
            await TaskAsync(projectId, task);
        }
    }

    private async Task<long> ProjectAsync(JsonObject desired)
    {
        var name = Name(desired);
        var body = Without(desired, "id");
        var existing = (await Catalog.ProjectsAsync(api, ct)).FirstOrDefault(p => Name(p) == name);
        if (existing is null)
        {
            var id = (await api.PostAsync(api.V1("/test-suites"), body, ct))!["project_id"]!.GetValue<long>();
            Report("created", $"project {name}", id);
            return id;
        }
        var projectId = existing["id"]!.GetValue<long>();
        var stored = (await api.GetAsync(api.V1($"/test-suites/{projectId}"), ct))!["project"]!;
        if (Same(body, stored))
        {
            Report("unchanged", $"project {name}", projectId);
            return projectId;
        }
        body["id"] = projectId;
        await api.PutAsync(api.V1($"/test-suites/{projectId}"), body, ct);
        Report("updated", $"project {name}", projectId);
        return projectId;
    }

    private async Task VariableAsync(long projectId, JsonObject desired)
    {
        var name = Name(desired);
        var list = (await api.GetAsync(api.V1($"/variables/0/test-suites/{projectId}?offset=0&limit=1000"), ct))!["variable_list"]!.AsArray();
        var stored = list.OfType<JsonObject>().FirstOrDefault(v => Name(v) == name);
        var body = Without(desired, "id");
        if (stored is null)
        {
            body["is_quoted"] ??= false;
            var id = (await api.PostAsync(api.V1($"/variables/{projectId}"), new JsonArray(body), ct))!["json"]!["variable_id"]!.GetValue<long>();
            Report("created", $"variable {name}", id);
        }
        else if (Same(body, stored))
        {
            Report("unchanged", $"variable {name}", stored["id"]!.GetValue<long>());
        }
        else
        {
            body["id"] = stored["id"]!.DeepClone();
            await api.PutAsync(api.V1($"/variables/{projectId}"), new JsonArray(body), ct);
            Report("updated", $"variable {name}", stored["id"]!.GetValue<long>());
        }
    }

    private async Task TransactionAsync(long projectId, JsonObject desired)
    {
        var name = Name(desired);
        var body = Without(desired, "id");
        body["project_id"] = projectId;
        body["temp_type"] ??= 0;
        var listed = (await api.GetAsync(api.V1($"/all-templates/{projectId}?offset=0&limit=1000"), ct))!["temps"]!.AsArray()
            .OfType<JsonObject>().FirstOrDefault(t => Name(t) == name);
        if (listed is null)
        {
            var id = (await api.PostAsync(api.V1("/templates"), body, ct))!["tempId"]!.GetValue<long>();
            Report("created", $"transaction {name}", id);
            return;
        }
        var templateId = listed["id"]!.GetValue<long>();
        var stored = (await api.GetAsync(api.V1($"/templates/{templateId}"), ct))!["temp_info"]!;
        if (Same(body, stored))
        {
            Report("unchanged", $"transaction {name}", templateId);
            return;
        }
        body["id"] = templateId;
        await api.PutAsync(api.V1($"/templates/{templateId}"), body, ct);
        Report("updated", $"transaction {name}", templateId);
    }

    private async Task TaskAsync(long projectId, TaskSpec spec)
    {
        var body = Without(spec.Fields, "id", "project_id");
        body["name"] = spec.Name;
        body["project_id"] = projectId;
        var listed = (await Catalog.TasksAsync(api, projectId, ct)).FirstOrDefault(t => Name(t) == spec.Name);
        long taskId;
        if (listed is null)
        {
            taskId = (await api.PostAsync(api.V1("/tasks"), body, ct))!["task_id"]!.GetValue<long>();
            Report("created", $"task {spec.Name}", taskId);
        }
        else
        {
            taskId = listed["id"]!.GetValue<long>();
            var stored = (await api.GetAsync(api.V1($"/tasks/{taskId}"), ct))!["taskInfo"]!;
            if (Same(body, stored))
            {
                Report("unchanged", $"task {spec.Name}", taskId);
            }
            else
            {
                body["id"] = taskId;
                await api.PutAsync(api.V1($"/tasks/{taskId}"), body, ct);
                Report("updated", $"task {spec.Name}", taskId);
            }
        }
        var cases = (await api.GetAsync(api.V1($"/tasks/{taskId}"), ct))!["taskInfo"]!["case_list"]!.AsArray().OfType<JsonObject>().ToList();
        foreach (var c in spec.Cases)
        {
            await CaseAsync(taskId, spec.Name, c, cases.FirstOrDefault(s => Name(s) == Name(c)));
        }
    }

    private async Task CaseAsync(long taskId, string taskName, JsonObject desired, JsonObject? stored)
    {
        var label = $"case {taskName}/{Name(desired)}";
        var body = Without(desired, "case_id", "sort", "directory_id", "task_id");
        long caseId;
        if (stored is null)
        {
            caseId = (await api.PostAsync(api.V1("/task-cases"), new JsonObject { ["name"] = Name(desired), ["type"] = 0, ["task_id"] = taskId }, ct))!
                ["json"]!["task_case_id"]!.GetValue<long>();
        }
        else
        {
            caseId = stored["case_id"]!.GetValue<long>();
            if (Same(body, stored))
            {
                Report("unchanged", label, caseId);
                return;
            }
        }
        // "all" replaces the case's script with exactly the declared one.
        await api.PutAsync(api.V1($"/task-cases/{caseId}/target/all"), body, ct);
        Report(stored is null ? "created" : "updated", label, caseId);
    }

    /// <summary>Every declared member equals the stored one (compared as JSON text, so 5000 equals 5000 however typed).</summary>
    private static bool Same(JsonObject desired, JsonNode stored) =>
        desired.All(kv => Text(kv.Value) == Text(stored[kv.Key]));

    private static string Text(JsonNode? node) => JsonNode.Parse(node?.ToJsonString() ?? "null")?.ToJsonString() ?? "null";

    private static JsonObject Without(JsonObject o, params string[] members)
    {
        var copy = (JsonObject)o.DeepClone();
        foreach (var m in members)
        {
            copy.Remove(m);
        }
        return copy;
    }

    private static string? Name(JsonNode node) => node["name"]?.GetValue<string>();

    private void Report(string what, string label, long id)
    {
        switch (what)
        {
            case "created": Created++; break;
            case "updated": Updated++; break;
            default: Unchanged++; break;
        }
        output.WriteLine($"{label}: {what} (id {id})");
    }
}
