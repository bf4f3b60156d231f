using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;

namespace PerfTest.ControlPlane.Reports;

/// <summary>
/// The persisted seconds of one case run, merged: per second and per key (request card, or -1
/// for the whole case) one aggregate over every executor, plus the totals over the whole run.
/// Histograms are merged, never percentiles averaged.
/// </summary>
public sealed class RunData
{
    public SortedDictionary<long, SecondData> Seconds { get; } = new();
    public Dictionary<int, MetricAggregate> Totals { get; } = new();

    /// <summary>Stages that ended early or found a limit, per executor (from the executors' final snapshots).</summary>
    public List<(string Executor, StageEnd End)> StageEnds { get; } = [];

    public long FirstSecond => Seconds.Count == 0 ? 0 : Seconds.Keys.First();
    public long LastSecond => Seconds.Count == 0 ? -1 : Seconds.Keys.Last();

    /// <summary>Seconds from the first to the last, gaps included (a second nobody reported is empty).</summary>
    public int Span => Seconds.Count == 0 ? 0 : (int)(LastSecond - FirstSecond + 1);

    public int MaxUsers => Seconds.Count == 0 ? 0 : Seconds.Values.Max(s => s.VirtualUsers);

    /// <summary>The stage indexes (0-based) the stored seconds carry: the stages that ran, on any executor.</summary>
    public SortedSet<int> StageIndexes { get; } = [];

    /// <summary>How many distinct stages ran (0 before any second was stored).</summary>
    public int StageCount => StageIndexes.Count;

    public MetricAggregate Total(int key) => Totals.TryGetValue(key, out var a) ? a : new MetricAggregate();

    public static RunData From(IEnumerable<RunSecondRow> rows)
    {
        var data = new RunData();
        foreach (var row in rows)
        {
            var snapshot = SecondSnapshot.Parser.ParseFrom(row.Snapshot);
            data.StageEnds.AddRange(snapshot.StageEnds.Select(e => (row.Executor, e)));
            if (row.StageIndex >= 0)
            {
                // An executor stopped before its first stage reports its final second with stage -1.
                data.StageIndexes.Add(row.StageIndex);
            }
            if (!data.Seconds.TryGetValue(row.UnixSecond, out var second))
            {
                data.Seconds[row.UnixSecond] = second = new SecondData();
            }
            second.Users[row.Executor] = Math.Max(second.Users.GetValueOrDefault(row.Executor), row.Vusers);
            foreach (var stats in snapshot.Keys)
            {
                var key = SnapshotMapper.FromProto(stats);
                second.Key(stats.Key).Add(key);
                if (!data.Totals.TryGetValue(stats.Key, out var total))
                {
                    data.Totals[stats.Key] = total = new MetricAggregate();
                }
                total.Add(key);
            }
        }
        return data;
    }

    /// <summary>One value per second of the span, for a curve.</summary>
    public List<double> Series(Func<SecondData, double> value)
    {
        var series = new List<double>(Span);
        for (var s = FirstSecond; s <= LastSecond; s++)
        {
            series.Add(Seconds.TryGetValue(s, out var second) ? value(second) : 0);
        }
        return series;
    }
}

/// <summary>One second of a run over every executor.</summary>
public sealed class SecondData
{
    private static readonly MetricAggregate Empty = new();

    public Dictionary<string, int> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<int, MetricAggregate> Keys { get; } = new();

    public int VirtualUsers => Users.Values.Sum();

    public MetricAggregate Key(int key)
    {
        if (!Keys.TryGetValue(key, out var aggregate))
        {
            Keys[key] = aggregate = new MetricAggregate();
        }
        return aggregate;
    }

    public MetricAggregate Case => Keys.TryGetValue(KeySnapshot.CaseKey, out var a) ? a : Empty;
}
