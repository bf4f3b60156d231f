using System.CommandLine;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli.Commands;

/// <summary><c>perftest report RUN [--html FILE]</c>: the summary table of a task run; the HTML report saved to a file.</summary>
public static class ReportCommand
{
    public static Command Create(Globals globals)
    {
        var run = new Argument<long>("RUN") { Description = "The task run id (printed by perftest run, listed by perftest ls)" };
        var html = new Option<FileInfo?>("--html") { HelpName = "FILE", Description = "Save the self-contained HTML report to FILE" };
        var command = new Command("report", "Print a run's summary; optionally save its HTML report");
        command.Arguments.Add(run);
        command.Options.Add(html);
        command.SetAction(async (parse, ct) =>
        {
            using var api = globals.Connect(parse);
            var id = parse.GetValue(run);
            SummaryTable.Write(globals.Env.Console, await RunReports.SummaryAsync(api, id, ct));
            if (parse.GetValue(html) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, await api.GetBytesAsync(api.V1($"/task-run-infos/{id}/reports/html"), ct), ct);
                await globals.Env.Out.WriteLineAsync($"saved {file.FullName}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
