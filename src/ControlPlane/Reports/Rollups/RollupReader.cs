namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>Reads a case run's rollups for a report, after folding in what executors sent since the last fold.</summary>
public sealed class RollupReader(RollupStore store, RunRoller roller)
{
    /// <summary>The whole run (level 0) with its histograms; null before any second was stored.</summary>
    public async Task<RollupRow?> WholeRunAsync(long caseRunId)
    {
        await roller.RollAsync(caseRunId);
        await using var c = await store.Database.OpenAsync();
        var rows = await RollupStore.RowsAsync(c, null, caseRunId, RollupLevels.WholeRun, 0, 1, withHistograms: true);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The level's buckets from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>, counters only.</summary>
    public async Task<IReadOnlyList<RollupRow>> BucketsAsync(long caseRunId, int level, long first, long last)
    {
        await using var c = await store.Database.OpenAsync();
        return await RollupStore.RowsAsync(c, null, caseRunId, level, RollupLevels.BucketOf(first, level), last + 1, withHistograms: false);
    }
}
