using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// The <c>points</c> of a case in the console's report: one column per curve, one entry per point on one time axis.
/// Counters come from the same rollup points as the v1 report's <c>brokens</c> and are drawn the same way (per second,
/// rounded to 3 decimals), so a point's <c>tps</c> is the v1 <c>tps_brokens.tps</c> of that point; percentiles come from
/// the point's merged histogram (<see cref="PercentileCurve"/>).
/// </summary>
public static class ConsolePoints
{
    /// <summary>The columns, in the order of the contract.</summary>
    private static readonly (string Name, Func<RunPoint, double> Value)[] Counters =
    [
        ("tps", p => p.PerSecond(p.Case.Requests)),
        ("avg_ms", p => p.Case.MeanMs),
    ];

    private static readonly (string Name, double Percent)[] Percentiles = [("tp50", 50), ("tp90", 90), ("tp99", 99)];

    private static readonly (string Name, Func<RunPoint, double> Value)[] Rest =
    [
        ("vusers", p => p.VirtualUsers),
        ("success", p => p.PerSecond(p.Case.Count(Outcome.Success))),
        ("checkpoint_failed", p => p.PerSecond(p.Case.Count(Outcome.CheckpointFailed))),
        ("parse_failed", p => p.PerSecond(p.Case.Count(Outcome.ParseFailed))),
        ("refused", p => p.PerSecond(p.Case.Count(Outcome.Refused))),
        ("timeout", p => p.PerSecond(p.Case.Count(Outcome.Timeout))),
        ("other_failed", p => p.PerSecond(p.Case.Count(Outcome.Other))),
        ("sent_bytes", p => p.PerSecond(p.Case.BytesSent)),
        ("received_bytes", p => p.PerSecond(p.Case.BytesReceived)),
    ];

    private static readonly RunPoint Empty = new();

    /// <summary>The first second <see cref="Build"/> needs percentiles from: the run's first, or <paramref name="since"/>'s point.</summary>
    public static long FirstWanted(RunData data, long? since) =>
        since is { } s && s > data.FirstSecond ? RollupLevels.BucketOf(s, data.Level) : data.FirstSecond;

    /// <summary>
    /// The points starting at or after <paramref name="since"/> (all without it). <c>t</c> is the second a point
    /// starts at: the bucket's start, or the run's first second for the first point, as the v1 timestamps.
    /// </summary>
    public static JsonObject Build(RunData data, IReadOnlyDictionary<long, MetricAggregate> histograms, long? since)
    {
        var columns = new Dictionary<string, JsonArray> { ["t"] = [] };
        foreach (var name in Counters.Select(c => c.Name).Concat(Percentiles.Select(p => p.Name)).Concat(Rest.Select(r => r.Name)))
        {
            columns[name] = [];
        }
        for (var s = RollupLevels.BucketOf(data.FirstSecond, data.Level); data.HasSeconds && s <= data.LastSecond; s += data.Level)
        {
            var t = Math.Max(s, data.FirstSecond);
            if (since is { } from && t < from)
            {
                continue;
            }
            var point = data.Points.GetValueOrDefault(s) ?? Empty;
            columns["t"].Add(t);
            foreach (var (name, value) in Counters.Concat(Rest))
            {
                columns[name].Add(Math.Round(value(point), 3));
            }
            var histogram = histograms.GetValueOrDefault(s);
            foreach (var (name, percent) in Percentiles)
            {
                columns[name].Add(histogram is null ? 0 : ReportBuilder.Round(histogram.Percentile(percent)));
            }
        }
        var points = new JsonObject();
        foreach (var (name, column) in columns)
        {
            points[name] = column;
        }
        return points;
    }
}
