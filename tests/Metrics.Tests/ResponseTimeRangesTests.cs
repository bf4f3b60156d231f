namespace PerfTest.Metrics.Tests;

/// <summary>The report's response time ranges block: labels, order and "12.3%(456)" format.</summary>
public class ResponseTimeRangesTests
{
    private static readonly string[] Labels =
        ["0~50ms", "50~200ms", "200~500ms", "500ms~1s", "1~2s", "2~3s", "3~4s", "4~5s", ">5s"];

    [Fact]
    public void All_fast_requests_fall_in_the_first_range()
    {
        var recorder = new RunRecorder(1);
        for (int i = 0; i < 2472; i++)
        {
            recorder.Record(0, 10_000 + i, TestData.Ok);
        }

        var ranges = ResponseTimeRanges.Describe(TestData.Merge([recorder.Rotate(1).FindKey(0)!]));

        Assert.Equal(Labels, ranges.Select(r => r.Key));
        Assert.Equal("100.0%(2472)", ranges[0].Value);
        Assert.All(ranges.Skip(1), r => Assert.Equal("0.0%(0)", r.Value));
    }

    [Fact]
    public void Requests_are_split_by_range_with_one_decimal()
    {
        // One request per range (plus two more in the first), chosen well inside each range.
        long[] micros = [1_000, 2_000, 40_000, 100_000, 300_000, 700_000, 1_500_000, 2_500_000, 3_500_000, 4_500_000, 60_000_000];
        var recorder = new RunRecorder(1);
        foreach (long value in micros)
        {
            recorder.Record(0, value, TestData.Ok);
        }

        var ranges = ResponseTimeRanges.Describe(TestData.Merge([recorder.Rotate(1).FindKey(0)!]));

        Assert.Equal("27.3%(3)", ranges[0].Value);
        Assert.All(ranges.Skip(1), r => Assert.Equal("9.1%(1)", r.Value));
    }

    [Fact]
    public void Boundary_value_belongs_to_the_lower_range()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 50_000, TestData.Ok);
        recorder.Record(0, 5_000_000, TestData.Ok);

        var ranges = ResponseTimeRanges.Describe(TestData.Merge([recorder.Rotate(1).FindKey(0)!]));

        Assert.Equal("50.0%(1)", ranges[0].Value);
        Assert.Equal("50.0%(1)", ranges[7].Value);
        Assert.Equal("0.0%(0)", ranges[8].Value);
    }

    [Fact]
    public void Empty_aggregate_has_zero_everywhere()
    {
        var ranges = ResponseTimeRanges.Describe(new MetricAggregate());

        Assert.Equal(9, ranges.Count);
        Assert.All(ranges, r => Assert.Equal("0.0%(0)", r.Value));
    }

    [Fact]
    public void Format_ignores_the_current_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var recorder = new RunRecorder(1);
            recorder.Record(0, 1_000, TestData.Ok);
            recorder.Record(0, 1_000, TestData.Ok);
            recorder.Record(0, 100_000, TestData.Ok);

            var ranges = ResponseTimeRanges.Describe(TestData.Merge([recorder.Rotate(1).FindKey(0)!]));

            Assert.Equal("66.7%(2)", ranges[0].Value);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
