namespace PerfTest.Metrics.Tests;

/// <summary>The histogram bytes carried by snapshots decode to the same histogram.</summary>
public class EncodingTests
{
    [Fact]
    public void Encode_decode_round_trip_keeps_every_bucket()
    {
        var histogram = LatencyHistogram.CreateForMerging();
        for (long micros = 1; micros <= 3_600_000_000; micros = micros * 3 + 1)
        {
            histogram.RecordValueWithCount(micros, micros % 7 + 1);
        }

        var decoded = LatencyHistogram.Decode(LatencyHistogram.Encode(histogram))!;

        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        Assert.Equal(
            histogram.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            decoded.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void Empty_histogram_encodes_to_no_bytes()
    {
        Assert.Empty(LatencyHistogram.Encode(LatencyHistogram.CreateForMerging()));
        Assert.Null(LatencyHistogram.Decode([]));
    }

    [Fact]
    public void Snapshot_round_trip_through_aggregate_is_lossless()
    {
        var aggregate = TestData.Uniform(2_000);

        var copy = TestData.Merge([aggregate.ToSnapshot(5)]);

        Assert.Equal(aggregate.ToSnapshot(5).Histogram, copy.ToSnapshot(5).Histogram);
        Assert.Equal(aggregate.Percentile(99.9), copy.Percentile(99.9));
        Assert.Equal(aggregate.MeanMs, copy.MeanMs);
    }

    [Fact]
    public void Snapshot_with_requests_but_no_histogram_is_rejected()
    {
        var broken = new KeySnapshot { Key = 0, Requests = 1 };

        Assert.Throws<ArgumentException>(() => new MetricAggregate().Add(broken));
    }
}
