namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>
/// The intervals seconds are rolled up into: each level's bucket is made of whole buckets of the level below, so a
/// bucket's busiest second is the busiest of its children's. Level 0 is the whole run (one bucket, 0).
/// </summary>
public static class RollupLevels
{
    public const int WholeRun = 0;

    /// <summary>Seconds per bucket, finest first; each divides the next.</summary>
    public static readonly IReadOnlyList<int> Intervals = [1, 10, 60, 600, 3600];

    /// <summary>The most points a curve is read at: the finest level whose buckets over the run are at most this many.</summary>
    public const int MaxPoints = 1800;

    /// <summary>Where <paramref name="second"/> falls at <paramref name="level"/> (0 for the whole run).</summary>
    public static long BucketOf(long second, int level) => level == WholeRun ? 0 : second - (second % level + level) % level;

    /// <summary>The level made of <paramref name="level"/>'s buckets one step coarser; the whole run above 3600.</summary>
    public static int Parent(int level)
    {
        var i = IndexOf(level);
        return i + 1 < Intervals.Count ? Intervals[i + 1] : WholeRun;
    }

    /// <summary>The level whose buckets make <paramref name="level"/>'s (the coarsest interval for the whole run).</summary>
    public static int Child(int level) => level == WholeRun ? Intervals[^1] : Intervals[IndexOf(level) - 1];

    /// <summary>The finest level that draws a run of <paramref name="span"/> seconds in at most <see cref="MaxPoints"/> points.</summary>
    public static int ForSpan(long span)
    {
        foreach (var level in Intervals)
        {
            if ((span + level - 1) / level <= MaxPoints)
            {
                return level;
            }
        }
        return Intervals[^1];
    }

    private static int IndexOf(int level)
    {
        for (var i = 0; i < Intervals.Count; i++)
        {
            if (Intervals[i] == level)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(level), level, "not a rollup interval");
    }
}
