namespace PerfTest.Executor.Scripting.Variables;

/// <summary>
/// variable_mode 0: positions in order, wrapping around at the end. When a run spans several executors,
/// executor i of n takes the strided partition i, i + n, i + 2n, ... and wraps within it, so no value is drawn
/// twice across the run before some executor wraps. With fewer values than executors, each executor gets the
/// single position i mod count (executors i and i + count share it): a sequential value can then not be unique
/// per executor, and repeating one value is the least surprising fallback.
/// </summary>
internal sealed class SequentialCursor : IVariableCursor
{
    private readonly long _first;
    private readonly long _stride;
    private readonly ulong _partitionSize;

    // Draws so far; Interlocked keeps concurrent VUs from taking the same position without a lock.
    private long _draws;

    public SequentialCursor(long count, int executorIndex, int executorCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(executorCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(executorIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(executorIndex, executorCount);
        _stride = Math.Min(executorCount, count);
        _first = executorIndex % _stride;
        // Positions first, first + stride, ... below count; executors' partitions differ in size by at most one.
        _partitionSize = (ulong)((count - _first + _stride - 1) / _stride);
    }

    /// <summary>How many positions this executor cycles through before it wraps.</summary>
    public long PartitionSize => (long)_partitionSize;

    public long Next()
    {
        // A long counter cannot wrap in any run's lifetime; the unsigned modulo keeps the position valid regardless.
        var draw = (ulong)(Interlocked.Increment(ref _draws) - 1);
        return _first + (long)(draw % _partitionSize) * _stride;
    }
}
