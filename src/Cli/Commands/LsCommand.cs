using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using PerfTest.Cli.Http;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli.Commands;

/// <summary><c>perftest ls</c>: every project, its tasks, and each task's latest run with its status.</summary>
public static class LsCommand
{
    private static readonly string[] Columns = ["project", "task id", "task", "latest run", "status", "started"];

    public static Command Create(Globals globals)
    {
        var command = new Command("ls", "List projects, their tasks and each task's latest run");
        command.SetAction(async (parse, ct) =>
        {
            using var api = globals.Connect(parse);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var column in Columns)
            {
                table.AddColumn(column);
            }
            foreach (var project in await Catalog.ProjectsAsync(api, ct))
            {
                var projectId = project["id"]!.GetValue<long>();
                var label = $"{project["name"]} ({projectId})";
                var tasks = await Catalog.TasksAsync(api, projectId, ct);
                if (tasks.Count == 0)
                {
                    table.AddRow(Markup.Escape(label), "", "", "", "", "");
                }
                foreach (var task in tasks)
                {
                    var latest = await LatestRunAsync(api, task["id"]!.GetValue<long>(), ct);
                    table.AddRow(Markup.Escape(label), task["id"]!.ToString(), Markup.Escape(task["name"]!.GetValue<string>()),
                        latest?["run_id"]?.ToString() ?? "-",
                        latest is null ? "never ran" : RunSummary.StatusName(latest["run_status"]!.GetValue<int>()),
                        latest?["start_time"]?.GetValue<string>() ?? "");
                }
            }
            globals.Env.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The newest entry of the task's run history (newest first).</summary>
    private static async Task<JsonObject?> LatestRunAsync(ApiClient api, long taskId, CancellationToken ct)
    {
        var history = await api.GetAsync(api.V1($"/tasks/history-run-list/{taskId}?offset=0&limit=1"), ct);
        return history?["log_list"]?.AsArray().OfType<JsonObject>().FirstOrDefault();
    }
}
