using System.Numerics;
using System.Runtime.InteropServices;
using HdrHistogram;

namespace PerfTest.Metrics;

/// <summary>
/// The control plane's histogram: 64-bit counts in <see cref="LatencyHistogram"/>'s one shape, merged straight from
/// the compressed encoding (<see cref="AddEncoded"/>) and encoded back (<see cref="Encode"/>) without HdrHistogram's
/// per-call buffers.
/// </summary>
/// <remarks>
/// HdrHistogram's decoder builds a new ~190 KB histogram (and a payload buffer) for every encoded histogram it reads,
/// and its encoder a ~190 KB intermediate buffer for every one it writes: reading a report decoded one per second per
/// card, which is what made long reports cost gigabytes. Here the counts of an encoded histogram are added in place,
/// index by index (one shape everywhere means the indexes are the same), and encoding writes only the counts up to the
/// last non-zero one.
/// </remarks>
public sealed class MergingHistogram : HistogramBase
{
    private readonly long[] _counts;
    private long _totalCount;

    public MergingHistogram()
        : base(LatencyHistogram.LowestMicros, LatencyHistogram.HighestMicros, LatencyHistogram.SignificantDigits)
    {
        // CountsArrayLength is internal to HdrHistogram; this is its definition (as in AtomicIntHistogram).
        _counts = new long[(BucketCount + 1) * (SubBucketCount / 2)];
    }

    public override long TotalCount
    {
        get => _totalCount;
        protected set => _totalCount = value;
    }

    protected override int WordSizeInBytes => sizeof(long);

    protected override long MaxAllowableCount => long.MaxValue;

    /// <summary>The index of the last bucket with a count; -1 when empty.</summary>
    internal int LastUsedIndex
    {
        get
        {
            for (var i = _counts.Length - 1; i >= 0; i--)
            {
                if (_counts[i] != 0)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    internal ReadOnlySpan<long> Counts => _counts;

    public override HistogramBase Copy()
    {
        var copy = new MergingHistogram();
        copy.Add(this);
        return copy;
    }

    /// <summary>Adds another histogram; one of this type bucket by bucket over its used buckets only (vectorised).</summary>
    public override void Add(HistogramBase fromHistogram)
    {
        if (fromHistogram is not MergingHistogram other)
        {
            base.Add(fromHistogram);
            return;
        }
        var used = other.LastUsedIndex + 1;
        var target = _counts.AsSpan(0, used);
        var source = other._counts.AsSpan(0, used);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var targetVectors = MemoryMarshal.Cast<long, Vector<long>>(target);
            var sourceVectors = MemoryMarshal.Cast<long, Vector<long>>(source);
            for (var v = 0; v < targetVectors.Length; v++)
            {
                targetVectors[v] += sourceVectors[v];
            }
            i = targetVectors.Length * Vector<long>.Count;
        }
        for (; i < used; i++)
        {
            target[i] += source[i];
        }
        _totalCount += other._totalCount;
    }

    /// <summary>Adds a histogram in the compressed V2 encoding (<see cref="LatencyHistogram.Encode"/>); an empty array adds nothing.</summary>
    public void AddEncoded(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return;
        }
        if (!HistogramCodec.TryAddCounts(encoded, this))
        {
            // Another shape (an older or foreign encoder): HdrHistogram reads it and adds it value by value.
            Add(LatencyHistogram.Decode(encoded.ToArray())!);
        }
    }

    /// <summary>The compressed V2 encoding of the counts (empty when there are none).</summary>
    public byte[] Encode() => TotalCount == 0 ? [] : HistogramCodec.Encode(this);

    internal void AddAtIndex(int index, long count) => AddToCountAtIndex(index, count);

    protected override long GetCountAtIndex(int index) => _counts[index];

    protected override void SetCountAtIndex(int index, long value) => _counts[index] = value;

    protected override void IncrementCountAtIndex(int index)
    {
        _counts[index]++;
        _totalCount++;
    }

    protected override void AddToCountAtIndex(int index, long addend)
    {
        _counts[index] += addend;
        _totalCount += addend;
    }

    protected override void ClearCounts()
    {
        Array.Clear(_counts);
        _totalCount = 0;
    }

    protected override void CopyCountsInto(long[] target) => _counts.AsSpan(0, target.Length).CopyTo(target);
}
