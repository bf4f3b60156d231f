namespace PerfTest.Metrics.Tests;

/// <summary>Report statistics of known distributions, within HdrHistogram's 3 significant digits.</summary>
public class DistributionTests
{
    // 3 significant digits: a reported value is within 0.1% of the true one.
    private static void AssertWithinPrecision(double expectedMs, double actualMs) =>
        Assert.InRange(actualMs, expectedMs * 0.999, expectedMs * 1.001);

    [Theory]
    [InlineData(50, 5.0)]
    [InlineData(90, 9.0)]
    [InlineData(99, 9.9)]
    [InlineData(99.9, 9.99)]
    [InlineData(99.99, 9.999)]
    public void Uniform_1_to_10000_micros_percentiles(double percent, double expectedMs)
    {
        var aggregate = TestData.Uniform(10_000);

        AssertWithinPrecision(expectedMs, aggregate.Percentile(percent));
    }

    [Fact]
    public void Uniform_1_to_10000_micros_min_max_mean_are_exact()
    {
        var aggregate = TestData.Uniform(10_000);

        Assert.Equal(10_000, aggregate.Requests);
        Assert.Equal(0.001, aggregate.MinMs);
        Assert.Equal(10.0, aggregate.MaxMs);
        Assert.Equal(5.0005, aggregate.MeanMs, 12);
        Assert.Equal(10.0, aggregate.Percentile(100));
        Assert.Equal(0.001, aggregate.Percentile(0));
    }

    [Fact]
    public void Constant_latency_is_every_percentile()
    {
        var recorder = new RunRecorder(1);
        for (int i = 0; i < 1000; i++)
        {
            recorder.Record(0, 123_456, TestData.Ok);
        }

        var aggregate = TestData.Merge(recorder.Rotate(1).Keys);

        Assert.Equal(123.456, aggregate.Percentile(50));
        Assert.Equal(123.456, aggregate.Percentile(99.99));
        Assert.Equal(123.456, aggregate.MeanMs, 12);
    }

    [Fact]
    public void Tail_is_not_hidden_by_the_bulk()
    {
        var recorder = new RunRecorder(1);
        for (int i = 0; i < 9_990; i++)
        {
            recorder.Record(0, 1_000, TestData.Ok);
        }

        for (int i = 0; i < 10; i++)
        {
            recorder.Record(0, 2_000_000, TestData.Ok);
        }

        var aggregate = TestData.Merge([recorder.Rotate(1).FindKey(-1)!]);

        Assert.Equal(1.0, aggregate.Percentile(99.9));
        AssertWithinPrecision(2000.0, aggregate.Percentile(99.95));
        Assert.Equal(2000.0, aggregate.MaxMs);
    }

    [Fact]
    public void Latencies_outside_the_range_are_clamped()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 0, TestData.Ok);
        recorder.Record(0, -5, TestData.Ok);
        recorder.Record(0, long.MaxValue, TestData.Ok);

        var snapshot = recorder.Rotate(1).FindKey(0)!;

        Assert.Equal(3, snapshot.Requests);
        Assert.Equal(LatencyHistogram.LowestMicros, snapshot.MinMicros);
        Assert.Equal(LatencyHistogram.HighestMicros, snapshot.MaxMicros);
        Assert.Equal(2 + LatencyHistogram.HighestMicros, snapshot.SumMicros);
    }

    [Fact]
    public void Empty_aggregate_reports_zeros()
    {
        var aggregate = new MetricAggregate();

        Assert.Equal(0, aggregate.Requests);
        Assert.Equal(0, aggregate.Percentile(99));
        Assert.Equal(0, aggregate.MeanMs);
        Assert.Equal(0, aggregate.MinMs);
        Assert.Equal(0, aggregate.Tps(10));
    }

    [Fact]
    public void Tps_is_requests_per_second()
    {
        var aggregate = TestData.Uniform(1_000);

        Assert.Equal(100.0, aggregate.Tps(10));
        Assert.Equal(0, aggregate.Tps(0));
    }
}
