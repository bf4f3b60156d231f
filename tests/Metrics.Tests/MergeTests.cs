namespace PerfTest.Metrics.Tests;

/// <summary>Merging executors and seconds gives what recording everything in one place gives.</summary>
public class MergeTests
{
    private static readonly double[] Percents = [0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

    // A skewed, deterministic latency per request index.
    private static long Latency(int i) => 200 + ((i * 7919L) % 50_000) + (i % 100 == 0 ? 3_000_000 : 0);

    [Fact]
    public void Two_executors_merged_equal_one_executor_recording_everything()
    {
        var single = new RunRecorder(2);
        var left = new RunRecorder(2);
        var right = new RunRecorder(2);
        for (int i = 0; i < 20_000; i++)
        {
            single.Record(i % 2, Latency(i), TestData.Ok);
            (i % 3 == 0 ? left : right).Record(i % 2, Latency(i), TestData.Ok);
        }

        var expected = TestData.Merge([single.Rotate(1).FindKey(-1)!]);
        var merged = TestData.Merge([left.Rotate(1).FindKey(-1)!, right.Rotate(1).FindKey(-1)!]);

        AssertSame(expected, merged);
    }

    [Fact]
    public void Many_seconds_merged_equal_one_long_interval()
    {
        var perSecond = new RunRecorder(1);
        var whole = new RunRecorder(1);
        var seconds = new List<KeySnapshot>();
        for (int i = 0; i < 10_000; i++)
        {
            perSecond.Record(0, Latency(i), TestData.Ok);
            whole.Record(0, Latency(i), TestData.Ok);
            if (i % 1_000 == 999)
            {
                seconds.Add(perSecond.Rotate(i / 1_000).FindKey(0)!);
            }
        }

        AssertSame(TestData.Merge([whole.Rotate(1).FindKey(0)!]), TestData.Merge(seconds));
    }

    [Fact]
    public void Merged_snapshot_can_be_merged_again()
    {
        var recorder = new RunRecorder(1);
        for (int i = 0; i < 5_000; i++)
        {
            recorder.Record(0, Latency(i), TestData.Ok);
        }

        var original = TestData.Merge([recorder.Rotate(1).FindKey(0)!]);
        var persisted = original.ToSnapshot(0);
        var reloaded = TestData.Merge([persisted, new KeySnapshot { Key = 0 }]);

        AssertSame(original, reloaded);
    }

    private static void AssertSame(MetricAggregate expected, MetricAggregate actual)
    {
        Assert.Equal(expected.Requests, actual.Requests);
        Assert.Equal(expected.SumMicros, actual.SumMicros);
        Assert.Equal(expected.MinMicros, actual.MinMicros);
        Assert.Equal(expected.MaxMicros, actual.MaxMicros);
        Assert.Equal(expected.BytesSent, actual.BytesSent);
        Assert.Equal(expected.BytesReceived, actual.BytesReceived);
        Assert.Equal(expected.Outcomes, actual.Outcomes);
        Assert.Equal(expected.StatusClasses, actual.StatusClasses);
        foreach (double percent in Percents)
        {
            Assert.Equal(expected.PercentileMicros(percent), actual.PercentileMicros(percent));
        }

        Assert.Equal(expected.ToSnapshot(0).Histogram, actual.ToSnapshot(0).Histogram);
    }
}
