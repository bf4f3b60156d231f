using System.CommandLine;

namespace PerfTest.Cli.Apply;

/// <summary><c>perftest apply -f FILE</c>: makes the tenant's project, tasks, cases, variables and transactions match FILE.</summary>
public static class ApplyCommand
{
    public static Command Create(Globals globals)
    {
        var file = new Option<FileInfo>("--file", "-f") { HelpName = "FILE", Description = "The YAML or JSON file (docs/cli.md)", Required = true };
        var command = new Command("apply", "Create or update a project and its tasks, cases, variables and transactions from a file");
        command.Options.Add(file);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw CliException.Usage($"{path.FullName} does not exist");
            }
            var spec = TestFile.Parse(await File.ReadAllTextAsync(path.FullName, ct));
            using var api = globals.Connect(parse);
            var applier = new Applier(api, globals.Env.Out, ct);
            await applier.ApplyAsync(spec);
            await globals.Env.Out.WriteLineAsync(applier.Created + applier.Updated == 0
                ? "unchanged"
                : $"{applier.Created} created, {applier.Updated} updated, {applier.Unchanged} unchanged");
            return ExitCodes.Ok;
        });
        return command;
    }
}
