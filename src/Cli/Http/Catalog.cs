using System.Globalization;
using System.Text.Json.Nodes;

namespace PerfTest.Cli.Http;

/// <summary>A task as the commands name it: by id, or by its name when exactly one task of the tenant has it.</summary>
public sealed record TaskRef(long Id, long ProjectId, string Name);

/// <summary>Reads of projects and tasks that several commands share (lists are read page by page, 1000 at a time).</summary>
public static class Catalog
{
    public static async Task<List<JsonObject>> ProjectsAsync(ApiClient api, CancellationToken ct) =>
        await PagesAsync(api, api.V1("/test-suites"), "projects", ct);

    public static async Task<List<JsonObject>> TasksAsync(ApiClient api, long projectId, CancellationToken ct) =>
        await PagesAsync(api, api.V1($"/all-tasks/{projectId}"), "tasks", ct);

    /// <summary>TASK as a number is an id; otherwise a name that must match exactly one task.</summary>
    public static async Task<TaskRef> ResolveTaskAsync(ApiClient api, string task, CancellationToken ct)
    {
        if (long.TryParse(task, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var info = (await api.GetAsync(api.V1($"/tasks/{id}"), ct))!["taskInfo"]!;
            return new TaskRef(id, info["project_id"]!.GetValue<long>(), info["name"]!.GetValue<string>());
        }
        var found = new List<TaskRef>();
        foreach (var project in await ProjectsAsync(api, ct))
        {
            var projectId = project["id"]!.GetValue<long>();
            found.AddRange((await TasksAsync(api, projectId, ct))
                .Where(t => t["name"]?.GetValue<string>() == task)
                .Select(t => new TaskRef(t["id"]!.GetValue<long>(), projectId, task)));
        }
        return found.Count switch
        {
            1 => found[0],
            0 => throw new CliException(ExitCodes.Failed, $"no task named \"{task}\" under project id {api.Connection.ProjectId}"),
            _ => throw CliException.Usage($"{found.Count} tasks are named \"{task}\" (ids {string.Join(", ", found.Select(f => f.Id))}): give the id"),
        };
    }

    private static async Task<List<JsonObject>> PagesAsync(ApiClient api, string path, string member, CancellationToken ct)
    {
        const int Limit = 1000;
        var all = new List<JsonObject>();
        for (var offset = 0; ; offset += Limit)
        {
            var page = (await api.GetAsync($"{path}?offset={offset}&limit={Limit}", ct))![member]!.AsArray();
            all.AddRange(page.OfType<JsonObject>());
            if (page.Count < Limit)
            {
                return all;
            }
        }
    }
}
