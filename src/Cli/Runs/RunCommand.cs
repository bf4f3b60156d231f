using System.CommandLine;
using PerfTest.Cli.Http;
using PerfTest.Cli.Thresholds;

namespace PerfTest.Cli.Runs;

/// <summary><c>perftest run TASK [--wait] [--threshold EXPR]... [--junit FILE] [--json FILE]</c>.</summary>
public static class RunCommand
{
    public static Command Create(Globals globals)
    {
        var task = new Argument<string>("TASK") { Description = "The task's id, or its name when exactly one task has it" };
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end (implied by --threshold, --junit and --json)" };
        var thresholds = new Option<string[]>("--threshold")
        {
            HelpName = "EXPR",
            Description = "[REQUEST_NAME:]metric op number, e.g. 'tp99<300' or 'success_rate>=99.9' (repeatable)",
        };
        var junit = new Option<FileInfo?>("--junit") { HelpName = "FILE", Description = "Write the thresholds as JUnit XML to FILE" };
        var json = new Option<FileInfo?>("--json") { HelpName = "FILE", Description = "Write the summary and thresholds as JSON to FILE" };
        var cluster = new Option<long>("--cluster-id") { HelpName = "N", Description = "Run on this private resource group (default 0: the shared one)" };
        var command = new Command("run", "Start a task; with --wait follow it, print its summary and check thresholds");
        command.Arguments.Add(task);
        foreach (var option in new Option[] { wait, thresholds, junit, json, cluster })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, ct) =>
        {
            var checks = (parse.GetValue(thresholds) ?? []).Select(Threshold.Parse).ToList();
            var options = new RunOptions(parse.GetValue(task)!, checks, parse.GetValue(junit)?.FullName, parse.GetValue(json)?.FullName,
                parse.GetValue(wait) || checks.Count > 0 || parse.GetValue(junit) is not null || parse.GetValue(json) is not null,
                parse.GetValue(cluster));
            using var api = globals.Connect(parse);
            return await ExecuteAsync(api, globals.Env, options, ct);
        });
        return command;
    }

    private sealed record RunOptions(string Task, List<Threshold> Thresholds, string? JUnit, string? Json, bool Follow, long ClusterId);

    private static async Task<int> ExecuteAsync(ApiClient api, CliEnvironment env, RunOptions o, CancellationToken interrupt)
    {
        var task = await Catalog.ResolveTaskAsync(api, o.Task, interrupt);
        var runId = await TaskActions.StartAsync(api, task, o.ClusterId, interrupt);
        await env.Out.WriteLineAsync($"started task {task.Name} (id {task.Id}): run {runId}");
        if (!o.Follow)
        {
            return ExitCodes.Ok;
        }
        var follower = new RunFollower(api, env, task, runId);
        await follower.FollowAsync(interrupt);

        var summary = await RunReports.SummaryAsync(api, runId, CancellationToken.None);
        SummaryTable.Write(env.Console, summary);
        var results = ThresholdResult.Evaluate(o.Thresholds, summary);
        SummaryTable.WriteThresholds(env.Console, results);
        var exit = follower.Interrupted ? ExitCodes.Interrupted
            : summary.RunStatus != RunSummary.Ended ? ExitCodes.Failed
            : results.Any(r => !r.Passed) ? ExitCodes.ThresholdBroken
            : ExitCodes.Ok;
        if (o.JUnit is not null)
        {
            await JUnitWriter.WriteAsync(o.JUnit, summary, results);
        }
        if (o.Json is not null)
        {
            await JsonResultWriter.WriteAsync(o.Json, summary, results, exit);
        }
        await env.Out.WriteLineAsync(exit switch
        {
            ExitCodes.Ok => "passed",
            ExitCodes.ThresholdBroken => $"{results.Count(r => !r.Passed)} threshold(s) broken",
            ExitCodes.Interrupted => "interrupted: the run was stopped",
            _ => $"the run {RunSummary.StatusName(summary.RunStatus)}",
        });
        return exit;
    }
}
