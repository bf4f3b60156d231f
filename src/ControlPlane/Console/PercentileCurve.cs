using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// The response time percentiles of each point of a case's curves, from the histograms of all its executors merged
/// (never percentiles averaged). Seconds have no histogram in their 1 s rollup, so at one point per second they are
/// read from the seconds the executors sent (only those already rolled up, so the points count what the counters
/// count); coarser points read their rollup bucket's merged histogram.
/// </summary>
public sealed class PercentileCurve(RunStore runs, RollupStore rollups)
{
    /// <summary>The case key's histogram (with its counters) per point, by the bucket each point starts at.</summary>
    /// <param name="caseRunId">The case run.</param>
    /// <param name="level">Seconds per point (a rollup interval).</param>
    /// <param name="first">The first second wanted.</param>
    /// <param name="last">The last second wanted.</param>
    public async Task<Dictionary<long, MetricAggregate>> ReadAsync(long caseRunId, int level, long first, long last)
    {
        var points = new Dictionary<long, MetricAggregate>();
        if (first > last)
        {
            return points;
        }
        if (level == 1)
        {
            foreach (var row in await runs.ListRolledSecondsAsync(caseRunId, first, last))
            {
                var stats = SecondSnapshot.Parser.ParseFrom(row.Snapshot).Keys.FirstOrDefault(k => k.Key == KeySnapshot.CaseKey);
                Add(points, row.UnixSecond, stats);
            }
            return points;
        }
        await using var c = await rollups.Database.OpenAsync();
        foreach (var row in await RollupStore.RowsAsync(c, null, caseRunId, level, RollupLevels.BucketOf(first, level), last + 1, withHistograms: true))
        {
            var stats = row.Stats.Keys.FirstOrDefault(k => k.Key == KeySnapshot.CaseKey);
            if (stats is not null)
            {
                // A bucket's stats hold counters; its merged histogram is stored beside them (as for the whole run).
                stats.Histogram = row.Histograms?.Keys.FirstOrDefault(h => h.Key == KeySnapshot.CaseKey)?.Histogram
                    ?? Google.Protobuf.ByteString.Empty;
            }
            Add(points, row.Bucket, stats);
        }
        return points;
    }

    private static void Add(Dictionary<long, MetricAggregate> points, long bucket, KeyStats? stats)
    {
        if (stats is null || stats.Requests == 0 || stats.Histogram.IsEmpty)
        {
            return;
        }
        if (!points.TryGetValue(bucket, out var aggregate))
        {
            points[bucket] = aggregate = new MetricAggregate();
        }
        aggregate.Add(SnapshotMapper.FromProto(stats));
    }
}
