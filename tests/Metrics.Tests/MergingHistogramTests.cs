using HdrHistogram;
using PerfTest.Metrics;

namespace PerfTest.Metrics.Tests;

/// <summary>
/// <see cref="MergingHistogram"/> reads and writes HdrHistogram's compressed encoding itself; these check it against
/// HdrHistogram's own encoder and decoder, both ways, bucket by bucket.
/// </summary>
public class MergingHistogramTests
{
    private static LongHistogram Sample(int seed, int count)
    {
        var random = new Random(seed);
        var histogram = LatencyHistogram.CreateForMerging();
        for (var i = 0; i < count; i++)
        {
            // Latencies over the whole range: mostly ms, some µs, a few minutes, one at the top.
            var micros = (long)Math.Exp(random.NextDouble() * Math.Log(LatencyHistogram.HighestMicros));
            histogram.RecordValueWithCount(LatencyHistogram.Clamp(micros), 1 + random.Next(3));
        }
        histogram.RecordValue(LatencyHistogram.HighestMicros);
        return histogram;
    }

    private static void AssertSameCounts(HistogramBase expected, HistogramBase actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        var want = expected.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
        var got = actual.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
        Assert.Equal(want, got);
        foreach (var p in new[] { 0.0, 50, 90, 99, 99.9, 99.99, 100 })
        {
            Assert.Equal(expected.GetValueAtPercentile(p), actual.GetValueAtPercentile(p));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1000)]
    [InlineData(3, 100_000)]
    public void What_HdrHistogram_encodes_is_added_bucket_for_bucket(int seed, int count)
    {
        var source = Sample(seed, count);
        var merged = new MergingHistogram();
        merged.AddEncoded(LatencyHistogram.Encode(source));
        AssertSameCounts(source, merged);
    }

    [Fact]
    public void What_it_encodes_HdrHistogram_decodes_to_the_same_counts()
    {
        // HdrHistogram 2.5.0's decoder reads the inflated payload with one Read call, so it cannot read an encoding
        // much over 8 KB compressed, its own included; a few thousand values over the whole range stay under that.
        var source = Sample(4, 3_000);
        var merged = new MergingHistogram();
        merged.Add(source);
        var decoded = LatencyHistogram.Decode(merged.Encode())!;
        AssertSameCounts(source, decoded);
    }

    [Fact]
    public void Adding_many_encodings_equals_adding_the_histograms()
    {
        var expected = LatencyHistogram.CreateForMerging();
        var merged = new MergingHistogram();
        for (var seed = 10; seed < 40; seed++)
        {
            var one = Sample(seed, 500);
            expected.Add(one);
            merged.AddEncoded(LatencyHistogram.Encode(one));
        }
        AssertSameCounts(expected, merged);
        var roundTrip = new MergingHistogram();
        roundTrip.AddEncoded(merged.Encode());
        AssertSameCounts(expected, roundTrip);
    }

    [Fact]
    public void An_empty_histogram_encodes_to_nothing_and_adds_nothing()
    {
        var merged = new MergingHistogram();
        Assert.Empty(merged.Encode());
        merged.AddEncoded([]);
        Assert.Equal(0, merged.TotalCount);
    }

    [Fact]
    public void A_histogram_of_another_shape_is_still_added_by_value()
    {
        var other = new LongHistogram(1, 60_000_000, 2);
        other.RecordValueWithCount(1234, 7);
        other.RecordValueWithCount(987_654, 3);
        var merged = new MergingHistogram();
        merged.AddEncoded(LatencyHistogram.Encode(other));
        Assert.Equal(10, merged.TotalCount);
        Assert.Equal(other.GetValueAtPercentile(50), merged.GetValueAtPercentile(50), 1234 / 100.0);
    }

    [Fact]
    public void A_cut_or_foreign_encoding_is_refused_by_name()
    {
        var encoded = LatencyHistogram.Encode(Sample(5, 100));
        var merged = new MergingHistogram();
        Assert.Throws<FormatException>(() => merged.AddEncoded(encoded.AsSpan(0, encoded.Length / 2)));
        Assert.Throws<FormatException>(() => merged.AddEncoded(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
    }

    [Fact]
    public void Adding_one_merging_histogram_to_another_adds_every_bucket()
    {
        var expected = LatencyHistogram.CreateForMerging();
        var target = new MergingHistogram();
        foreach (var seed in new[] { 50, 51 })
        {
            var one = Sample(seed, 2_000);
            expected.Add(one);
            var source = new MergingHistogram();
            source.Add(one);
            target.Add(source);
        }
        AssertSameCounts(expected, target);
    }
}
