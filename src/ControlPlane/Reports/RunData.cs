using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;

namespace PerfTest.ControlPlane.Reports;

/// <summary>
/// What a report reads of one case run, from its rollups: per key the totals over the whole run (histograms merged,
/// never percentiles averaged) and its busiest and quietest second, and the curve points of the keys asked for, one
/// per second up to <see cref="RollupLevels.MaxPoints"/> seconds and one per 10, 60, 600 or 3600 s beyond.
/// </summary>
public sealed class RunData
{
    private static readonly KeyPeaks NoPeaks = new();

    public Dictionary<int, MetricAggregate> Totals { get; } = new();

    /// <summary>Each key's busiest and quietest second (a key without an entry had 0 in every second).</summary>
    public Dictionary<int, KeyPeaks> Peaks { get; } = new();

    /// <summary>Stages that ended early or found a limit, per executor (from the executors' final snapshots).</summary>
    public List<(string Executor, StageEnd End)> StageEnds { get; } = [];

    /// <summary>The stage indexes (0-based) the stored seconds carry: the stages that ran, on any executor.</summary>
    public SortedSet<int> StageIndexes { get; } = [];

    /// <summary>The curve points, by the unix second each starts at.</summary>
    public SortedDictionary<long, RunPoint> Points { get; } = new();

    /// <summary>Seconds per point: 1, or a coarser rollup interval for runs longer than <see cref="RollupLevels.MaxPoints"/> s.</summary>
    public int Level { get; init; } = 1;

    /// <summary>Whether any executor reported a second.</summary>
    public bool HasSeconds { get; init; }

    public long FirstSecond { get; init; }

    public long LastSecond { get; init; } = -1;

    /// <summary>Seconds from the first to the last, gaps included (a second nobody reported is empty).</summary>
    public int Span => HasSeconds ? (int)(LastSecond - FirstSecond + 1) : 0;

    /// <summary>The most VUs live in one second, over every executor.</summary>
    public int MaxUsers { get; init; }

    /// <summary>The VUs of every second added up (VUM × 60).</summary>
    public long VusersSum { get; init; }

    /// <summary>How many distinct stages ran (0 before any second was stored).</summary>
    public int StageCount => StageIndexes.Count;

    public MetricAggregate Total(int key) => Totals.TryGetValue(key, out var a) ? a : new MetricAggregate();

    public KeyPeaks Peak(int key) => Peaks.TryGetValue(key, out var p) ? p : NoPeaks;

    /// <summary>Reads the case run's whole run and the points of <paramref name="pointKeys"/>, at the finest level that fits.</summary>
    public static async Task<RunData> ReadAsync(RollupReader reader, long caseRunId, IReadOnlyCollection<int> pointKeys)
    {
        var data = await ReadWholeRunAsync(reader, caseRunId, level: null);
        await data.ReadPointsAsync(reader, caseRunId, pointKeys);
        return data;
    }

    /// <summary>
    /// Reads several case runs of one task run with their points at one level (the finest that fits all of them
    /// together), so points of the same interval line up across them.
    /// </summary>
    public static async Task<List<RunData>> ReadManyAsync(RollupReader reader, IReadOnlyList<long> caseRunIds, IReadOnlyCollection<int> pointKeys)
    {
        var datas = new List<RunData>();
        foreach (var id in caseRunIds)
        {
            datas.Add(await ReadWholeRunAsync(reader, id, level: 1));
        }
        var ran = datas.Where(d => d.HasSeconds).ToList();
        var level = ran.Count == 0 ? 1 : RollupLevels.ForSpan(ran.Max(d => d.LastSecond) - ran.Min(d => d.FirstSecond) + 1);
        for (var i = 0; i < datas.Count; i++)
        {
            datas[i] = datas[i].AtLevel(level);
            await datas[i].ReadPointsAsync(reader, caseRunIds[i], pointKeys);
        }
        return datas;
    }

    private static async Task<RunData> ReadWholeRunAsync(RollupReader reader, long caseRunId, int? level)
    {
        var run = await reader.WholeRunAsync(caseRunId);
        if (run is null || run.Stats.Seconds == 0)
        {
            return new RunData();
        }
        var data = new RunData
        {
            HasSeconds = true,
            FirstSecond = run.Stats.FirstSecond,
            LastSecond = run.Stats.LastSecond,
            MaxUsers = run.Stats.VusersMax,
            VusersSum = run.Stats.VusersSum,
            Level = level ?? RollupLevels.ForSpan(run.Stats.LastSecond - run.Stats.FirstSecond + 1),
        };
        data.AddWholeRun(run);
        return data;
    }

    private async Task ReadPointsAsync(RollupReader reader, long caseRunId, IReadOnlyCollection<int> pointKeys)
    {
        if (!HasSeconds || pointKeys.Count == 0)
        {
            return;
        }
        foreach (var row in await reader.BucketsAsync(caseRunId, Level, FirstSecond, LastSecond))
        {
            Points[row.Bucket] = RunPoint.From(row.Stats, pointKeys, Width(row.Bucket));
        }
    }

    /// <summary>The same whole run, to be drawn at <paramref name="level"/> (before any point is read).</summary>
    private RunData AtLevel(int level)
    {
        if (!HasSeconds)
        {
            return this;
        }
        var data = new RunData
        {
            HasSeconds = true, FirstSecond = FirstSecond, LastSecond = LastSecond, MaxUsers = MaxUsers, VusersSum = VusersSum, Level = level,
        };
        foreach (var (key, total) in Totals)
        {
            data.Totals[key] = total;
        }
        foreach (var (key, peaks) in Peaks)
        {
            data.Peaks[key] = peaks;
        }
        data.StageIndexes.UnionWith(StageIndexes);
        data.StageEnds.AddRange(StageEnds);
        return data;
    }

    private void AddWholeRun(RollupRow run)
    {
        var histograms = run.Histograms!.Keys.ToDictionary(h => h.Key, h => h.Histogram);
        foreach (var stats in run.Stats.Keys)
        {
            // The whole run's stats hold counters; its histogram is stored beside them.
            stats.Histogram = histograms.GetValueOrDefault(stats.Key) ?? Google.Protobuf.ByteString.Empty;
            var total = new MetricAggregate();
            if (stats.Requests > 0)
            {
                total.Add(SnapshotMapper.FromProto(stats));
            }
            Totals[stats.Key] = total;
        }
        foreach (var peaks in run.Stats.Peaks)
        {
            Peaks[peaks.Key] = peaks;
        }
        StageIndexes.UnionWith(run.Stats.StageIndexes);
        StageEnds.AddRange(run.Stats.StageEnds.Select(e => (e.Executor, e.End)));
    }

    /// <summary>The seconds of the run the point starting at <paramref name="start"/> covers (the run's first and last may cut it).</summary>
    private int Width(long start) => (int)(Math.Min(start + Level, LastSecond + 1) - Math.Max(start, FirstSecond));

    /// <summary>One value per point from the first to the last (a point nobody reported is 0), for a curve.</summary>
    public List<double> Series(Func<RunPoint, double> value)
    {
        var series = new List<double>();
        if (!HasSeconds)
        {
            return series;
        }
        for (var s = RollupLevels.BucketOf(FirstSecond, Level); s <= LastSecond; s += Level)
        {
            series.Add(Points.TryGetValue(s, out var point) ? value(point) : 0);
        }
        return series;
    }

    /// <summary>The unix second each point of <see cref="Series"/> starts at (the run's first second for the first).</summary>
    public List<double> Stamps()
    {
        var stamps = new List<double>();
        for (var s = RollupLevels.BucketOf(FirstSecond, Level); HasSeconds && s <= LastSecond; s += Level)
        {
            stamps.Add(Math.Max(s, FirstSecond));
        }
        return stamps;
    }
}

/// <summary>One point of a curve: a second, or a rollup interval, of a case run over every executor.</summary>
public sealed class RunPoint
{
    private static readonly MetricAggregate Empty = new();
    private static readonly KeyPeaks NoPeaks = new();

    /// <summary>The seconds of the run the point covers; counters divided by it are per second.</summary>
    public int Width { get; private init; } = 1;

    /// <summary>The most VUs live in one second of the point.</summary>
    public int VirtualUsers { get; private init; }

    public Dictionary<int, MetricAggregate> Keys { get; } = new();

    public Dictionary<int, KeyPeaks> Peaks { get; } = new();

    public MetricAggregate Key(int key) => Keys.TryGetValue(key, out var a) ? a : Empty;

    public KeyPeaks Peak(int key) => Peaks.TryGetValue(key, out var p) ? p : NoPeaks;

    public MetricAggregate Case => Key(KeySnapshot.CaseKey);

    /// <summary>A count over the point as a count per second (as one second's value when the point is a second).</summary>
    public double PerSecond(double count) => count / Width;

    internal static RunPoint From(RollupStats stats, IReadOnlyCollection<int> keys, int width)
    {
        var point = new RunPoint { Width = Math.Max(1, width), VirtualUsers = stats.VusersMax };
        foreach (var key in stats.Keys.Where(k => keys.Contains(k.Key)))
        {
            var counters = new MetricAggregate();
            counters.AddCounters(SnapshotMapper.FromProto(key));
            point.Keys[key.Key] = counters;
        }
        foreach (var peaks in stats.Peaks.Where(p => keys.Contains(p.Key)))
        {
            point.Peaks[peaks.Key] = peaks;
        }
        return point;
    }
}
