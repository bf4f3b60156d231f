using PerfTest.ControlPlane.Storage;
using PerfTest.Executor.Grpc;
using PerfTest.Metrics;
using Dapper;

namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>
/// Folds the seconds executors sent (run_seconds) into the rollups of their case run: counters summed, histograms
/// merged bucket by bucket, each second's VUs and traffic worked out once all its rows are in. A fold reads the
/// rows it changes, computes, and writes them with the seconds' <c>rolled</c> marks in one transaction, so a crash
/// leaves either all of a fold or none of it; on PostgreSQL an advisory lock per case run keeps two control planes
/// from folding the same seconds.
/// </summary>
public sealed class RunRoller(RollupStore store)
{
    /// <summary>Seconds read per fold: bounds a fold's memory (a histogram per touched 10 s bucket per key).</summary>
    public const int BatchSeconds = 400;

    private static readonly int[] Coarser = [10, 60, 600, 3600, RollupLevels.WholeRun];

    // One fold at a time per case run in this process (striped: a fixed set of gates whatever the number of runs).
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Folds every second of the case run stored so far that is not rolled up yet.</summary>
    public async Task RollAsync(long caseRunId, CancellationToken cancellationToken = default)
    {
        var gate = _gates[(int)(caseRunId % _gates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (await FoldAsync(caseRunId, cancellationToken))
            {
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One fold of at most <see cref="BatchSeconds"/> seconds; true when there may be more.</summary>
    private async Task<bool> FoldAsync(long caseRunId, CancellationToken cancellationToken)
    {
        var db = store.Database;
        await using var c = await db.OpenAsync(cancellationToken);
        // PostgreSQL: read and write in one transaction under the case run's lock. SQLite: read outside a transaction
        // (WAL readers do not block the executors' inserts) and write in one; the gate above is the lock there.
        var postgres = db.Provider == StorageProvider.Postgres;
        await using var readTx = postgres ? await c.BeginTransactionAsync(cancellationToken) : null;
        if (postgres)
        {
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@caseRunId)", new { caseRunId }, readTx);
        }
        var raws = await RollupStore.UnrolledAsync(c, readTx, caseRunId, BatchSeconds);
        if (raws.Count == 0)
        {
            return false;
        }
        var seconds = raws.Select(r => (Row: r, Snapshot: SecondSnapshot.Parser.ParseFrom(r.Snapshot))).ToList();
        var set = new RollupWorkingSet(c, readTx, caseRunId);
        await FoldSecondsAsync(set, seconds);
        await FoldLevelsAsync(set, seconds.Select(s => s.Row.UnixSecond).Distinct().ToList());
        FoldHistograms(set, seconds);
        FoldStages(set.Change(RollupLevels.WholeRun, 0).Stats, seconds);
        var ids = raws.Select(r => r.Id).ToList();
        if (readTx is not null)
        {
            await RollupStore.SaveAsync(c, readTx, caseRunId, set.Dirty, ids);
            await readTx.CommitAsync(cancellationToken);
        }
        else
        {
            await using var writeTx = await c.BeginTransactionAsync(cancellationToken);
            await RollupStore.SaveAsync(c, writeTx, caseRunId, set.Dirty, ids);
            await writeTx.CommitAsync(cancellationToken);
        }
        return raws.Count == BatchSeconds;
    }

    /// <summary>Level 1: one row per second, every executor's counters and VUs in it.</summary>
    private static async Task FoldSecondsAsync(RollupWorkingSet set, List<(RollupStore.UnrolledSecond Row, SecondSnapshot Snapshot)> seconds)
    {
        await set.LoadAsync(1, seconds.Min(s => s.Row.UnixSecond), seconds.Max(s => s.Row.UnixSecond) + 1, withHistograms: true);
        foreach (var (row, snapshot) in seconds)
        {
            var second = set.Change(1, row.UnixSecond).Stats;
            // An executor may send two rows for one second (its final one); its VUs are the higher, not the sum.
            second.ExecutorVusers[row.Executor] = Math.Max(second.ExecutorVusers.GetValueOrDefault(row.Executor), row.Vusers);
            foreach (var key in snapshot.Keys)
            {
                RollupMath.AddCounters(second, key);
            }
        }
        foreach (var unixSecond in seconds.Select(s => s.Row.UnixSecond).Distinct())
        {
            RollupMath.SecondFromItself(set.Change(1, unixSecond).Stats, unixSecond);
        }
    }

    /// <summary>Each coarser bucket the seconds fall in: counters and peaks again from the (whole) buckets below.</summary>
    private static async Task FoldLevelsAsync(RollupWorkingSet set, List<long> seconds)
    {
        var child = 1;
        foreach (var level in Coarser)
        {
            var whole = level == RollupLevels.WholeRun;
            var from = whole ? 0 : RollupLevels.BucketOf(seconds.Min(), level);
            var to = whole ? 1 : RollupLevels.BucketOf(seconds.Max(), level) + level;
            await set.LoadAsync(level, from, to, withHistograms: true);
            await set.LoadAsync(child, whole ? long.MinValue : from, whole ? long.MaxValue : to, withHistograms: false);
            foreach (var bucket in seconds.Select(s => RollupLevels.BucketOf(s, level)).Distinct())
            {
                var stats = set.Change(level, bucket).Stats;
                var children = set.Children(level, bucket).Select(r => r.Stats).ToList();
                RollupMath.FromChildren(stats, children);
                var keys = children.SelectMany(s => s.Keys).GroupBy(k => k.Key).OrderBy(g => g.Key);
                stats.Keys.Clear();
                foreach (var key in keys)
                {
                    var sum = new MetricAggregate();
                    foreach (var part in key)
                    {
                        sum.AddCounters(Executor.Running.SnapshotMapper.FromProto(part));
                    }
                    stats.Keys.Add(RollupMath.CountersOf(sum, key.Key));
                }
            }
            child = level;
        }
    }

    /// <summary>
    /// The histograms of every level above the second, key by key: the seconds' histograms merged per 10 s bucket
    /// once, then each merge added to the stored histogram of each bucket it falls in.
    /// </summary>
    private static void FoldHistograms(RollupWorkingSet set, List<(RollupStore.UnrolledSecond Row, SecondSnapshot Snapshot)> seconds)
    {
        var byKey = seconds
            .SelectMany(s => s.Snapshot.Keys.Where(k => !k.Histogram.IsEmpty).Select(k => (Ten: RollupLevels.BucketOf(s.Row.UnixSecond, 10), Stats: k)))
            .GroupBy(k => k.Stats.Key);
        var pool = new Stack<MergingHistogram>();
        MergingHistogram Rent() => pool.TryPop(out var h) ? h : new MergingHistogram();
        foreach (var key in byKey)
        {
            var deltas = new Dictionary<long, MergingHistogram>();
            foreach (var (ten, stats) in key)
            {
                if (!deltas.TryGetValue(ten, out var delta))
                {
                    deltas[ten] = delta = Rent();
                }
                delta.AddEncoded(stats.Histogram.Span);
            }
            var merged = Rent();
            foreach (var level in Coarser)
            {
                foreach (var bucket in deltas.Keys.Select(t => RollupLevels.BucketOf(t, level)).Distinct())
                {
                    var histograms = set.Change(level, bucket).Histograms!;
                    merged.Reset();
                    var stored = histograms.Keys.FirstOrDefault(h => h.Key == key.Key);
                    if (stored is null)
                    {
                        histograms.Keys.Add(stored = new KeyHistogram { Key = key.Key });
                    }
                    merged.AddEncoded(stored.Histogram.Span);
                    foreach (var (ten, delta) in deltas.Where(d => RollupLevels.BucketOf(d.Key, level) == bucket))
                    {
                        merged.Add(delta);
                    }
                    stored.Histogram = Google.Protobuf.ByteString.CopyFrom(merged.Encode());
                }
            }
            foreach (var used in deltas.Values.Append(merged))
            {
                used.Reset();
                pool.Push(used);
            }
        }
    }

    /// <summary>The whole run's stages: those the seconds ran in, and how stages ended (from executors' final seconds).</summary>
    private static void FoldStages(RollupStats run, List<(RollupStore.UnrolledSecond Row, SecondSnapshot Snapshot)> seconds)
    {
        // An executor stopped before its first stage reports its final second with stage -1.
        var stages = run.StageIndexes.Concat(seconds.Where(s => s.Row.StageIndex >= 0).Select(s => s.Row.StageIndex)).Distinct().Order().ToList();
        run.StageIndexes.Clear();
        run.StageIndexes.Add(stages);
        foreach (var (row, snapshot) in seconds)
        {
            run.StageEnds.Add(snapshot.StageEnds.Select(e => new ExecutorStageEnd { Executor = row.Executor, End = e }));
        }
    }
}
