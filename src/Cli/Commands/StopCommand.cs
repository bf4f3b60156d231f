using System.CommandLine;
using PerfTest.Cli.Http;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli.Commands;

/// <summary><c>perftest stop TASK</c>: asks the running task to stop (it drains within about a second).</summary>
public static class StopCommand
{
    public static Command Create(Globals globals)
    {
        var task = new Argument<string>("TASK") { Description = "The task's id, or its name" };
        var command = new Command("stop", "Stop a running task");
        command.Arguments.Add(task);
        command.SetAction(async (parse, ct) =>
        {
            using var api = globals.Connect(parse);
            var t = await Catalog.ResolveTaskAsync(api, parse.GetValue(task)!, ct);
            var run = await TaskActions.StopAsync(api, t, ct);
            await globals.Env.Out.WriteLineAsync($"stopping task {t.Name} (id {t.Id}), run {run}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
