namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>One row of run_rollups: a bucket of one level of one case run.</summary>
public sealed class RollupRow(int level, long bucket, RollupStats stats, RollupHistograms? histograms)
{
    public int Level { get; } = level;

    public long Bucket { get; } = bucket;

    public RollupStats Stats { get; } = stats;

    /// <summary>Null when the row was read for its stats only (it is then never written back).</summary>
    public RollupHistograms? Histograms { get; } = histograms;

    /// <summary>Changed since read: to be written back.</summary>
    public bool Dirty { get; set; }
}
