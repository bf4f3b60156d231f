using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using PerfTest.Cli.Http;

namespace PerfTest.Cli.Runs;

/// <summary>
/// Follows a task run until it has ended, polling the console's report once a second: a Spectre live table on a
/// terminal, else one plain line per case per second. Ctrl-C (the token) stops the run through the API and keeps
/// following until it has ended; <see cref="Interrupted"/> then says so.
/// </summary>
public sealed class RunFollower(ApiClient api, CliEnvironment env, TaskRef task, long taskRunId)
{
    private static readonly string[] LiveColumns = ["case", "elapsed", "TPS", "avg ms", "tp90 ms", "tp99 ms", "VUs", "failures/s"];

    /// <summary>No second of a run lies beyond it: asks the console's report for its tables and status only.</summary>
    public const long FarFuture = 32503680000;

    public bool Interrupted { get; private set; }

    public async Task FollowAsync(CancellationToken interrupt)
    {
        if (env.IsTerminal)
        {
            var view = new Table();
            await env.Console.Live(view).StartAsync(async ctx => await LoopAsync(points =>
            {
                ctx.UpdateTarget(LiveTable(points));
                ctx.Refresh();
            }, interrupt));
        }
        else
        {
            // one line per case per new second: a poll that found no newer point prints nothing
            var printed = new Dictionary<string, long>();
            await LoopAsync(points =>
            {
                foreach (var p in points.Where(p => printed.GetValueOrDefault(p.Case) < p.Seconds))
                {
                    printed[p.Case] = p.Seconds;
                    env.Out.WriteLine(p.Line());
                }
                env.Out.Flush();
            }, interrupt);
        }
    }

    /// <summary>Failed polls in a row (5xx, no answer) that are waited out before the command gives up: a minute.</summary>
    private const int TransientLimit = 60;

    private async Task LoopAsync(Action<List<LivePoint>> show, CancellationToken interrupt)
    {
        long? since = null;
        int? resolution = null;
        var failures = 0;
        while (true)
        {
            var token = Interrupted ? CancellationToken.None : interrupt;
            try
            {
                var report = await PollAsync(since, () => ++failures <= TransientLimit, token);
                if (report is null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), token);
                    continue;
                }
                failures = 0;
                show(LivePoint.Latest(report));
                if (report["task_run"]?["live"]?.GetValue<bool>() != true)
                {
                    return;
                }
                (since, resolution) = NextSince(report, resolution);
                await Task.Delay(TimeSpan.FromSeconds(1), token);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !Interrupted)
            {
                Interrupted = true;
                await StopAsync();
            }
        }
    }

    /// <summary>The console's report, or null after a failure worth waiting out (the run goes on meanwhile).</summary>
    private async Task<JsonObject?> PollAsync(long? since, Func<bool> retry, CancellationToken token)
    {
        try
        {
            return await RunReports.ConsoleAsync(api, taskRunId, since, token);
        }
        catch (ApiException e) when (e.Status >= 500 && retry())
        {
            await env.Error.WriteLineAsync($"warning: {e.Message}; trying again");
        }
        catch (CliException e) when (e.Code == ExitCodes.Failed && retry())
        {
            await env.Error.WriteLineAsync($"warning: {e.Message}; trying again");
        }
        return null;
    }

    /// <summary>The console page's rule: from 5 s before the last point (late seconds land there); all again when the resolution changed.</summary>
    private static (long?, int?) NextSince(JsonObject report, int? previous)
    {
        var cases = report["cases"]!.AsArray().OfType<JsonObject>().ToList();
        var resolution = cases.Select(c => c["resolution"]?.GetValue<int>() ?? 1).DefaultIfEmpty(1).Max();
        var last = cases.Select(c => c["points"]!["t"]!.AsArray()).Where(a => a.Count > 0).Select(a => a[^1]!.GetValue<long>()).DefaultIfEmpty(0).Max();
        return (last == 0 || (previous is { } p && p != resolution) ? null : last - 5, resolution);
    }

    private async Task StopAsync()
    {
        await env.Error.WriteLineAsync($"interrupted: stopping task {task.Name} (run {taskRunId})");
        try
        {
            await TaskActions.StopAsync(api, task, CancellationToken.None);
        }
        catch (ApiException e) when (e.Status == 409)
        {
            // it ended on its own meanwhile: nothing to stop
        }
    }

    private static Table LiveTable(List<LivePoint> points)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("perftest live (Ctrl-C stops the run)");
        foreach (var column in LiveColumns)
        {
            table.AddColumn(column == "case" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }
        foreach (var p in points)
        {
            table.AddRow(Markup.Escape(p.Case), S(p.Seconds, "0") + "s", S(p.Tps, "0.0"), S(p.AvgMs, "0.00"), S(p.Tp90, "0.00"),
                S(p.Tp99, "0.00"), S(p.Vusers, "0"), S(p.Failures, "0"));
        }
        if (points.Count == 0)
        {
            table.AddRow("waiting for the first second", "", "", "", "", "", "", "");
        }
        return table;
    }

    private static string S(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
