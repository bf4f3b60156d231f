namespace PerfTest.Executor.Plan;

/// <summary>
/// This executor's place in a case run's resource group: its index among <see cref="Count"/> executors. One instance is
/// shared by every <see cref="StageSpec"/> of a plan and read live, so a reshare (an executor of the group left or
/// joined) moves the running stage's share and the later stages' at once. Index and count are packed into one long
/// written with <see cref="Volatile"/>: a reader never sees the index of one place with the count of another.
/// </summary>
public sealed class GroupPlace
{
    private long _packed;

    /// <summary>A place as a plan gives it; a count below 1 is taken as 1 (the executor runs alone).</summary>
    public GroupPlace(int index, int count) => _packed = Pack(index, Math.Max(1, count));

    /// <summary>This executor's index in the group (0-based).</summary>
    public int Index => Read().Index;

    /// <summary>How many executors share the case run.</summary>
    public int Count => Read().Count;

    /// <summary>Index and count read together (one place, never half of two).</summary>
    public (int Index, int Count) Read()
    {
        var packed = Volatile.Read(ref _packed);
        return ((int)(packed >> 32), (int)(packed & 0xFFFF_FFFF));
    }

    /// <summary>Moves this executor to <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is below 1, or index is negative or not below count.</exception>
    public void Set(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Volatile.Write(ref _packed, Pack(index, count));
    }

    /// <summary>This executor's share of a whole-stage level (<see cref="Share.Of"/>) at its place now.</summary>
    public long ShareOf(long total)
    {
        var (index, count) = Read();
        return Share.Of(total, index, count);
    }

    /// <summary>
    /// This executor's share of a whole-stage rate: the whole part is split like any level, the fraction (a ramp
    /// between two whole rates) evenly, so the shares still add up to the rate.
    /// </summary>
    public double ShareOfRate(double total)
    {
        var (index, count) = Read();
        var whole = Math.Floor(total);
        return Share.Of((long)whole, index, count) + (total - whole) / count;
    }

    private static long Pack(int index, int count) => ((long)index << 32) | (uint)count;
}
