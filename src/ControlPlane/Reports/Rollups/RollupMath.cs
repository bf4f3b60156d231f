using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;

namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>
/// The parts of a rollup that are not plain sums: a second's VUs and each key's traffic are known only once every
/// executor's row for it is in, so they are worked out from the level-1 rows (one per second) and carried up level by
/// level as highs, lows and sums of the buckets below.
/// </summary>
public static class RollupMath
{
    /// <summary>Adds the counters (not the histogram) of <paramref name="raw"/> to its key in <paramref name="stats"/>.</summary>
    public static void AddCounters(RollupStats stats, KeyStats raw)
    {
        var index = IndexOfKey(stats, raw.Key);
        var sum = new MetricAggregate();
        if (index >= 0)
        {
            sum.AddCounters(SnapshotMapper.FromProto(stats.Keys[index]));
        }
        sum.AddCounters(SnapshotMapper.FromProto(raw));
        var merged = CountersOf(sum, raw.Key);
        if (index >= 0)
        {
            stats.Keys[index] = merged;
        }
        else
        {
            stats.Keys.Add(merged);
        }
    }

    /// <summary>The counters of <paramref name="aggregate"/> as a key's stats, without its histogram.</summary>
    public static KeyStats CountersOf(MetricAggregate aggregate, int key)
    {
        var stats = SnapshotMapper.ToProto(aggregate.ToSnapshot(key));
        stats.Histogram = Google.Protobuf.ByteString.Empty;
        return stats;
    }

    /// <summary>A level-1 row's derived fields from its own counters and its executors' VUs.</summary>
    public static void SecondFromItself(RollupStats second, long unixSecond)
    {
        var vusers = second.ExecutorVusers.Values.Sum();
        second.FirstSecond = second.LastSecond = unixSecond;
        second.Seconds = 1;
        second.VusersSum = vusers;
        second.VusersMax = vusers;
        second.Peaks.Clear();
        foreach (var key in second.Keys)
        {
            var traffic = key.BytesSent + key.BytesReceived;
            second.Peaks.Add(new KeyPeaks
            {
                Key = key.Key, MaxRequests = key.Requests, MaxSent = key.BytesSent, MaxReceived = key.BytesReceived,
                MaxTraffic = traffic, MinTraffic = traffic,
            });
        }
    }

    /// <summary>A bucket's derived fields from the buckets that make it (each with data, i.e. at least one second).</summary>
    public static void FromChildren(RollupStats bucket, IReadOnlyCollection<RollupStats> children)
    {
        bucket.Peaks.Clear();
        bucket.Seconds = children.Sum(c => c.Seconds);
        if (bucket.Seconds == 0)
        {
            bucket.FirstSecond = bucket.LastSecond = bucket.VusersSum = bucket.VusersMax = 0;
            return;
        }
        var withData = children.Where(c => c.Seconds > 0).ToList();
        bucket.FirstSecond = withData.Min(c => c.FirstSecond);
        bucket.LastSecond = withData.Max(c => c.LastSecond);
        bucket.VusersSum = withData.Sum(c => c.VusersSum);
        bucket.VusersMax = withData.Max(c => c.VusersMax);
        var keys = withData.SelectMany(c => c.Peaks.Select(p => p.Key)).Distinct().Order();
        foreach (var key in keys)
        {
            var peaks = withData.Select(c => c.Peaks.FirstOrDefault(p => p.Key == key)).ToList();
            var present = peaks.OfType<KeyPeaks>().ToList();
            bucket.Peaks.Add(new KeyPeaks
            {
                Key = key,
                MaxRequests = present.Max(p => p.MaxRequests),
                MaxSent = present.Max(p => p.MaxSent),
                MaxReceived = present.Max(p => p.MaxReceived),
                MaxTraffic = present.Max(p => p.MaxTraffic),
                // A child without the key had 0 in every one of its seconds.
                MinTraffic = peaks.Min(p => p?.MinTraffic ?? 0),
            });
        }
    }

    public static int IndexOfKey(RollupStats stats, int key)
    {
        for (var i = 0; i < stats.Keys.Count; i++)
        {
            if (stats.Keys[i].Key == key)
            {
                return i;
            }
        }
        return -1;
    }
}
