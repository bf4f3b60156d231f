using HdrHistogram;
using PerfTest.Protocols;

namespace PerfTest.Metrics;

/// <summary>
/// Merges any number of <see cref="KeySnapshot"/>s (many seconds and/or many executors) and
/// answers the report questions. Merging adds histograms bucket by bucket, so percentiles are
/// those of all requests together (never averages of percentiles), exact to 3 significant digits.
/// Not thread-safe: one aggregate per report/query.
/// </summary>
public sealed class MetricAggregate
{
    // Created by the first histogram added: aggregates of counters only (AddCounters: a point of a curve) have none.
    private MergingHistogram? _histogram;
    private readonly long[] _outcomes = new long[RequestResult.OutcomeCount];
    private readonly long[] _statusClasses = new long[KeySnapshot.StatusClassCount];

    public long Requests { get; private set; }

    /// <summary>Indexed by <c>(int)Outcome</c>.</summary>
    public IReadOnlyList<long> Outcomes => _outcomes;

    /// <summary>Index <c>status / 100 - 1</c> (1xx..5xx).</summary>
    public IReadOnlyList<long> StatusClasses => _statusClasses;

    public long BytesSent { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>0 when there are no requests.</summary>
    public long MinMicros { get; private set; }

    public long MaxMicros { get; private set; }

    public long SumMicros { get; private set; }

    /// <summary>The merged streaming counters; null when no snapshot added had plays.</summary>
    public StreamingSnapshot? Streaming { get; private set; }

    public double MinMs => MinMicros / 1000.0;

    public double MaxMs => MaxMicros / 1000.0;

    /// <summary>Exact: SumMicros / Requests (not histogram-rounded); 0 when there are no requests.</summary>
    public double MeanMs => Requests == 0 ? 0 : (double)SumMicros / Requests / 1000.0;

    public long Count(Outcome outcome) => _outcomes[(int)outcome];

    public void Add(KeySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Requests == 0)
        {
            return;
        }

        if (snapshot.Histogram.Length == 0)
        {
            throw new ArgumentException("A snapshot with requests must carry a histogram.", nameof(snapshot));
        }
        (_histogram ??= new MergingHistogram()).AddEncoded(snapshot.Histogram);
        AddCounters(snapshot);
    }

    /// <summary>
    /// Adds the counters of <paramref name="snapshot"/> but not its histogram: for sums, means and rates (the points of
    /// a curve), which need no percentile. Percentiles stay those of the histograms <see cref="Add(KeySnapshot)"/> gave.
    /// </summary>
    public void AddCounters(KeySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Requests == 0)
        {
            return;
        }
        if (snapshot.Outcomes.Length != _outcomes.Length || snapshot.StatusClasses.Length != _statusClasses.Length)
        {
            throw new ArgumentException("Outcomes or StatusClasses has the wrong length.", nameof(snapshot));
        }
        AddCounters(snapshot.Requests, snapshot.MinMicros, snapshot.MaxMicros, snapshot.SumMicros, snapshot.BytesSent,
            snapshot.BytesReceived, snapshot.Outcomes, snapshot.StatusClasses, snapshot.Streaming);
    }

    /// <summary>Adds everything <paramref name="other"/> holds (histograms bucket by bucket).</summary>
    public void Add(MetricAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Requests == 0)
        {
            return;
        }
        if (other._histogram is not null)
        {
            (_histogram ??= new MergingHistogram()).Add(other._histogram);
        }
        AddCounters(other.Requests, other.MinMicros, other.MaxMicros, other.SumMicros, other.BytesSent, other.BytesReceived,
            other._outcomes, other._statusClasses, other.Streaming);
    }

    /// <summary>Back to empty, keeping the histogram's memory (one aggregate can serve many merges in turn).</summary>
    public void Reset()
    {
        _histogram?.Reset();
        Array.Clear(_outcomes);
        Array.Clear(_statusClasses);
        Requests = BytesSent = BytesReceived = MinMicros = MaxMicros = SumMicros = 0;
        Streaming = null;
    }

    private void AddCounters(long requests, long minMicros, long maxMicros, long sumMicros, long bytesSent, long bytesReceived,
        long[] outcomes, long[] statusClasses, StreamingSnapshot? streaming)
    {

        MinMicros = Requests == 0 ? minMicros : Math.Min(MinMicros, minMicros);
        MaxMicros = Math.Max(MaxMicros, maxMicros);
        Requests += requests;
        SumMicros += sumMicros;
        BytesSent += bytesSent;
        BytesReceived += bytesReceived;
        for (int i = 0; i < _outcomes.Length; i++)
        {
            _outcomes[i] += outcomes[i];
        }

        for (int i = 0; i < _statusClasses.Length; i++)
        {
            _statusClasses[i] += statusClasses[i];
        }

        if (streaming is not null)
        {
            // A fresh object: the aggregate must never change the snapshot it was given.
            (Streaming ??= new StreamingSnapshot()).Add(streaming);
        }
    }

    /// <summary>Latency at percentile <paramref name="percent"/> (0..100, e.g. 99.9), in ms; 0 when empty.</summary>
    public double Percentile(double percent) => PercentileMicros(percent) / 1000.0;

    /// <summary>
    /// HdrHistogram answers with the top of the bucket holding the percentile; that is pinned into
    /// [MinMicros, MaxMicros] (known exactly) so e.g. tp100 equals the max and tp0 the min.
    /// </summary>
    public long PercentileMicros(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100.0);
        if (Requests == 0)
        {
            return 0;
        }

        return _histogram is null ? 0 : Math.Clamp(_histogram.GetValueAtPercentile(percent), MinMicros, MaxMicros);
    }

    /// <summary>
    /// Requests whose latency is at or below <paramref name="micros"/>, at histogram precision:
    /// the whole bucket holding <paramref name="micros"/> counts as at-or-below (as HdrHistogram's
    /// count-between-values does), so the error is under 0.1% of the boundary.
    /// </summary>
    public long CountAtOrBelowMicros(long micros)
    {
        if (micros < LatencyHistogram.LowestMicros || _histogram is null)
        {
            return 0;
        }

        long bucketStart = _histogram.LowestEquivalentValue(micros);
        long count = 0;
        foreach (var bucket in _histogram.RecordedValues())
        {
            if (_histogram.LowestEquivalentValue(bucket.ValueIteratedTo) > bucketStart)
            {
                break;
            }

            count += bucket.CountAddedInThisIterationStep;
        }

        return count;
    }

    /// <summary>Requests per second over <paramref name="seconds"/>; 0 for a non-positive duration.</summary>
    public double Tps(double seconds) => seconds > 0 ? Requests / seconds : 0;

    /// <summary>Re-encodes the merged state, e.g. to persist a merged second or ship a merged key.</summary>
    public KeySnapshot ToSnapshot(int key) => new()
    {
        Key = key,
        Requests = Requests,
        Outcomes = (long[])_outcomes.Clone(),
        StatusClasses = (long[])_statusClasses.Clone(),
        BytesSent = BytesSent,
        BytesReceived = BytesReceived,
        MinMicros = MinMicros,
        MaxMicros = MaxMicros,
        SumMicros = SumMicros,
        Histogram = _histogram?.Encode() ?? [],
        Streaming = Streaming?.Clone(),
    };
}
