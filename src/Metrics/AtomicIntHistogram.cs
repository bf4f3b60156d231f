using HdrHistogram;

namespace PerfTest.Metrics;

/// <summary>
/// Histogram for the hot path: many threads record with one atomic add per bucket, nothing else.
/// </summary>
/// <remarks>
/// HdrHistogram's own IntConcurrentHistogram adds an inner phaser on every write and takes a
/// Monitor on every bucket read, which made a per-second rotation (encode + merge + reset of
/// ~23,000 buckets per key) cost milliseconds per key. Here the swap-out is already guarded by
/// <see cref="RunRecorder"/>'s phaser, so reads after the swap can be plain.
/// 32-bit counts: one bucket cannot reach 2^31 within a one-second interval.
/// </remarks>
internal sealed class AtomicIntHistogram : HistogramBase
{
    private readonly int[] _counts;
    private long _totalCount;

    public AtomicIntHistogram(long lowestTrackableValue, long highestTrackableValue, int numberOfSignificantValueDigits)
        : base(lowestTrackableValue, highestTrackableValue, numberOfSignificantValueDigits)
    {
        // CountsArrayLength is internal to HdrHistogram; this is its definition.
        _counts = new int[(BucketCount + 1) * (SubBucketCount / 2)];
    }

    public override long TotalCount
    {
        get => Volatile.Read(ref _totalCount);
        protected set => Volatile.Write(ref _totalCount, value);
    }

    protected override int WordSizeInBytes => sizeof(int);

    protected override long MaxAllowableCount => int.MaxValue;

    public override HistogramBase Copy()
    {
        var copy = new AtomicIntHistogram(LowestTrackableValue, HighestTrackableValue, NumberOfSignificantValueDigits);
        copy.Add(this);
        return copy;
    }

    protected override long GetCountAtIndex(int index) => Volatile.Read(ref _counts[index]);

    protected override void SetCountAtIndex(int index, long value) => Volatile.Write(ref _counts[index], checked((int)value));

    protected override void IncrementCountAtIndex(int index)
    {
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _totalCount);
    }

    protected override void AddToCountAtIndex(int index, long addend)
    {
        Interlocked.Add(ref _counts[index], checked((int)addend));
        Interlocked.Add(ref _totalCount, addend);
    }

    protected override void ClearCounts()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _totalCount, 0);
    }

    protected override void CopyCountsInto(long[] target)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = _counts[i];
        }
    }
}
