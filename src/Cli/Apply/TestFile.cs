using System.Text.Json.Nodes;

namespace PerfTest.Cli.Apply;

/// <summary>
/// The file of <c>perftest apply</c> (docs/cli.md, "apply"): one <c>project</c>, its <c>variables</c>,
/// <c>transactions</c> and <c>tasks</c>, each task with its <c>cases</c>. Every member other than the ones named
/// here goes to the API as it is, so anything the API stores can be declared.
/// </summary>
public sealed record TestFile(JsonObject Project, List<JsonObject> Variables, List<JsonObject> Transactions, List<TaskSpec> Tasks)
{
    public static TestFile Parse(string text)
    {
        if (YamlJson.Parse(text) is not JsonObject root)
        {
            throw CliException.Usage("the file must hold a mapping with project, tasks, variables and transactions");
        }
        var project = root["project"] as JsonObject ?? throw CliException.Usage("the file has no project: mapping");
        Named(project, "project");
        return new TestFile(project, List(root, "variables"), List(root, "transactions"),
            List(root, "tasks").Select(TaskSpec.From).ToList());
    }

    internal static List<JsonObject> List(JsonObject parent, string member)
    {
        var items = parent[member] switch
        {
            null => [],
            JsonArray a => a.Select(n => n as JsonObject ?? throw CliException.Usage($"every entry of {member} must be a mapping")).ToList(),
            _ => throw CliException.Usage($"{member} must be a list"),
        };
        foreach (var item in items)
        {
            Named(item, member);
        }
        var twice = items.GroupBy(i => i["name"]!.GetValue<string>()).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? items : throw CliException.Usage($"{member}: the name \"{twice.Key}\" is declared twice");
    }

    private static void Named(JsonObject o, string where)
    {
        if (o["name"] is not JsonValue v || !v.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw CliException.Usage($"an entry of {where} has no name");
        }
    }
}

/// <summary>A task: its members (less <c>cases</c>) and its cases.</summary>
public sealed record TaskSpec(string Name, JsonObject Fields, List<JsonObject> Cases)
{
    public static TaskSpec From(JsonObject task)
    {
        var cases = TestFile.List(task, "cases").Select(CaseScript.Expand).ToList();
        var fields = (JsonObject)task.DeepClone();
        fields.Remove("cases");
        fields.Remove("name");
        return new TaskSpec(task["name"]!.GetValue<string>(), fields, cases);
    }
}
