using System.Data.Common;

namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>The rollup rows one fold reads and changes, each read once, keyed by level and bucket.</summary>
internal sealed class RollupWorkingSet(DbConnection connection, DbTransaction? transaction, long caseRunId)
{
    private readonly Dictionary<(int Level, long Bucket), RollupRow> _rows = [];

    public IEnumerable<RollupRow> Dirty => _rows.Values.Where(r => r.Dirty);

    /// <summary>Reads the level's rows in [from, to) that are not here yet.</summary>
    public async Task LoadAsync(int level, long from, long to, bool withHistograms)
    {
        foreach (var row in await RollupStore.RowsAsync(connection, transaction, caseRunId, level, from, to, withHistograms))
        {
            _rows.TryAdd((row.Level, row.Bucket), row);
        }
    }

    /// <summary>The row of the bucket, new and empty when it has none yet; it is to be written back.</summary>
    public RollupRow Change(int level, long bucket)
    {
        if (!_rows.TryGetValue((level, bucket), out var row))
        {
            _rows[(level, bucket)] = row = new RollupRow(level, bucket, new RollupStats(), new RollupHistograms());
        }
        if (row.Histograms is null)
        {
            throw new InvalidOperationException($"rollup {level}/{bucket} was read without its histograms and cannot be written");
        }
        row.Dirty = true;
        return row;
    }

    /// <summary>The rows of the level below that make the bucket (for the whole run: every bucket of the coarsest interval).</summary>
    public List<RollupRow> Children(int level, long bucket)
    {
        var child = RollupLevels.Child(level);
        return _rows.Values
            .Where(r => r.Level == child && (level == RollupLevels.WholeRun || (r.Bucket >= bucket && r.Bucket < bucket + level)))
            .OrderBy(r => r.Bucket)
            .ToList();
    }
}
