using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using PerfTest.Cli.Thresholds;

namespace PerfTest.Cli.Runs;

/// <summary>The end-of-run tables: per case and per request (requests, success rate, tps, avg, tp50/90/99, max), then the thresholds.</summary>
public static class SummaryTable
{
    private static readonly string[] Columns = ["case / request", "requests", "success %", "tps", "avg ms", "tp50 ms", "tp90 ms", "tp99 ms", "max ms"];

    public static void Write(IAnsiConsole console, RunSummary summary)
    {
        console.MarkupLine($"task [bold]{Markup.Escape(summary.TaskName)}[/] (id {summary.TaskId}), run {summary.TaskRunId}: {RunSummary.StatusName(summary.RunStatus)}");
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in Columns)
        {
            table.AddColumn(column == "case / request" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }
        foreach (var c in summary.Cases)
        {
            table.AddRow(Row("[bold]" + Markup.Escape(c.Name) + "[/]", c.Performance));
            foreach (var r in c.Requests)
            {
                table.AddRow(Row("  " + Markup.Escape(r["name"]?.GetValue<string>() ?? "?"), r));
            }
            if (c.Error is not null)
            {
                console.MarkupLine($"[red]case {Markup.Escape(c.Name)}: {Markup.Escape(c.Error)}[/]");
            }
        }
        console.Write(table);
    }

    public static void WriteThresholds(IAnsiConsole console, IReadOnlyList<ThresholdResult> results)
    {
        foreach (var r in results)
        {
            var verdict = r.Passed ? "[green]ok    [/]" : "[red]BROKEN[/]";
            console.MarkupLine($"{verdict} {Markup.Escape(r.Scope)}: {Markup.Escape(r.Threshold.Expression)} ({Markup.Escape(r.Message)})");
        }
    }

    private static string[] Row(string name, JsonObject p) =>
        [name, F(p, "requests", "0"), F(p, "successRate", "0.00"), F(p, "tps", "0.0"), F(p, "averageRespTime", "0.00"),
         F(p, "tp50", "0.00"), F(p, "tp90", "0.00"), F(p, "tp99", "0.00"), F(p, "max", "0.00")];

    private static string F(JsonObject p, string key, string format) =>
        (p[key]?.GetValue<double>() ?? 0).ToString(format, CultureInfo.InvariantCulture);
}
