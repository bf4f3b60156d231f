namespace PerfTest.Executor.Scripting.Variables;

/// <summary>variable_mode 1: a uniformly random position over all the values. Random mode is not partitioned
/// between executors: values repeat by design, so keeping executors apart would buy nothing.</summary>
internal sealed class RandomCursor : IVariableCursor
{
    private readonly long _count;

    public RandomCursor(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
    }

    // Random.Shared is thread-safe (a per-thread generator underneath), so draws take no lock.
    public long Next() => Random.Shared.NextInt64(_count);
}
