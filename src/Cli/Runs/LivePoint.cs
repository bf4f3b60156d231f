using System.Globalization;
using System.Text.Json.Nodes;

namespace PerfTest.Cli.Runs;

/// <summary>The newest point of one case run in the console's report: what the live view and the plain lines show.</summary>
public sealed record LivePoint(string Case, long Seconds, double Tps, double AvgMs, double Tp90, double Tp99, double Vusers, double Failures)
{
    private static readonly string[] FailureColumns = ["checkpoint_failed", "parse_failed", "refused", "timeout", "other_failed"];

    /// <summary>The last point of each case (cases without a point yet are left out).</summary>
    public static List<LivePoint> Latest(JsonObject consoleReport)
    {
        var list = new List<LivePoint>();
        foreach (var c in consoleReport["cases"]!.AsArray().OfType<JsonObject>())
        {
            var points = c["points"]!.AsObject();
            var t = points["t"]!.AsArray();
            if (t.Count == 0)
            {
                continue;
            }
            var i = t.Count - 1;
            double At(string column) => points[column]?.AsArray()[i]?.GetValue<double>() ?? 0;
            var first = consoleReport["cases"]!.AsArray().OfType<JsonObject>()
                .Select(x => x["points"]!["t"]!.AsArray()).Where(a => a.Count > 0).Min(a => a[0]!.GetValue<long>());
            list.Add(new LivePoint(c["name"]!.GetValue<string>(), t[i]!.GetValue<long>() - first + 1,
                At("tps"), At("avg_ms"), At("tp90"), At("tp99"), At("vusers"), FailureColumns.Sum(At)));
        }
        return list;
    }

    /// <summary>One plain line: what a log of a CI job shows once a second.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"[{Seconds,4}s] {Case}: tps {Tps:0.0}  avg {AvgMs:0.00} ms  tp90 {Tp90:0.00} ms  tp99 {Tp99:0.00} ms  vus {Vusers:0}  failures {Failures:0}");
}
