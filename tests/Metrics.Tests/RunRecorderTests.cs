using PerfTest.Protocols;

namespace PerfTest.Metrics.Tests;

/// <summary>Rotate returns exactly what was recorded since the previous Rotate, then starts fresh.</summary>
public class RunRecorderTests
{
    [Fact]
    public void Rotate_returns_exactly_what_was_recorded()
    {
        var recorder = new RunRecorder(2);
        recorder.SetVirtualUsers(7);
        recorder.SetVirtualUsers(5);
        recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));
        recorder.Record(0, 3_000, new RequestResult(Outcome.CheckpointFailed, 404, 20, 200));
        recorder.Record(1, 500, new RequestResult(Outcome.Timeout, 0, 30, 0));
        recorder.Record(1, 9_000, new RequestResult(Outcome.Other, 503, 40, 400));

        var snapshot = recorder.Rotate(1_700_000_000);

        Assert.Equal(1_700_000_000, snapshot.UnixSecond);
        Assert.Equal(5, snapshot.VirtualUsers);
        Assert.Equal([-1, 0, 1], snapshot.Keys.Select(k => k.Key));

        var key0 = snapshot.FindKey(0)!;
        Assert.Equal(2, key0.Requests);
        Assert.Equal([1, 1, 0, 0, 0, 0], key0.Outcomes);
        Assert.Equal([0, 1, 0, 1, 0], key0.StatusClasses);
        Assert.Equal(30, key0.BytesSent);
        Assert.Equal(300, key0.BytesReceived);
        Assert.Equal(1_000, key0.MinMicros);
        Assert.Equal(3_000, key0.MaxMicros);
        Assert.Equal(4_000, key0.SumMicros);
        Assert.NotEmpty(key0.Histogram);

        var whole = snapshot.FindKey(KeySnapshot.CaseKey)!;
        Assert.Equal(4, whole.Requests);
        Assert.Equal([1, 1, 0, 0, 1, 1], whole.Outcomes);
        Assert.Equal([0, 1, 0, 1, 1], whole.StatusClasses);
        Assert.Equal(100, whole.BytesSent);
        Assert.Equal(700, whole.BytesReceived);
        Assert.Equal(500, whole.MinMicros);
        Assert.Equal(9_000, whole.MaxMicros);
        Assert.Equal(13_500, whole.SumMicros);
        Assert.Equal(4, LatencyHistogram.Decode(whole.Histogram)!.TotalCount);
    }

    [Fact]
    public void Transaction_keys_are_reported_but_not_added_to_the_case_totals()
    {
        var recorder = new RunRecorder(keyCount: 2, caseKeyCount: 1);  // key 0 a request, key 1 a transaction around it
        recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));
        recorder.Record(1, 1_200, new RequestResult(Outcome.Success, 0, 10, 100));

        var snapshot = recorder.Rotate(1_700_000_000);

        Assert.Equal(1, snapshot.FindKey(1)!.Requests);
        var whole = snapshot.FindKey(KeySnapshot.CaseKey)!;
        Assert.Equal(1, whole.Requests);
        Assert.Equal(1_000, whole.MaxMicros);
        Assert.Equal(1, LatencyHistogram.Decode(whole.Histogram)!.TotalCount);
    }

    [Fact]
    public void Rotate_resets_so_the_next_interval_starts_empty()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 1_000, TestData.Ok);
        recorder.Rotate(1);

        var second = recorder.Rotate(2);

        foreach (var key in second.Keys)
        {
            Assert.Equal(0, key.Requests);
            Assert.Equal(0, key.MinMicros);
            Assert.Equal(0, key.MaxMicros);
            Assert.Equal(0, key.SumMicros);
            Assert.All(key.Outcomes, c => Assert.Equal(0, c));
            Assert.Empty(key.Histogram);
        }

        recorder.Record(0, 2_000, TestData.Ok);
        var third = recorder.FindCase(3);
        Assert.Equal(1, third.Requests);
        Assert.Equal(2_000, third.MinMicros);
        Assert.Equal(2_000, third.MaxMicros);
    }

    [Fact]
    public void Status_codes_outside_1xx_to_5xx_are_not_counted_but_the_request_is()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 10, new RequestResult(Outcome.Refused, 0, 0, 0));
        recorder.Record(0, 10, new RequestResult(Outcome.Success, 600, 0, 0));
        recorder.Record(0, 10, new RequestResult(Outcome.Success, 99, 0, 0));
        recorder.Record(0, 10, new RequestResult(Outcome.Success, 101, 0, 0));

        var snapshot = recorder.FindCase(1);

        Assert.Equal(4, snapshot.Requests);
        Assert.Equal([1, 0, 0, 0, 0], snapshot.StatusClasses);
    }

    [Fact]
    public void Out_of_range_outcome_counts_as_other()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 10, new RequestResult((Outcome)200, 200, 0, 0));

        Assert.Equal(1, recorder.FindCase(1).Outcomes[(int)Outcome.Other]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Unknown_key_is_rejected(int key)
    {
        var recorder = new RunRecorder(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Record(key, 10, TestData.Ok));
    }

    [Fact]
    public void Case_equals_the_merge_of_all_keys()
    {
        var recorder = new RunRecorder(3);
        for (int i = 1; i <= 3_000; i++)
        {
            recorder.Record(i % 3, i * 37L, TestData.Ok);
        }

        var snapshot = recorder.Rotate(1);
        var ofKeys = TestData.Merge(snapshot.Keys.Where(k => k.Key >= 0));
        var ofCase = TestData.Merge([snapshot.FindKey(-1)!]);

        Assert.Equal(ofKeys.ToSnapshot(-1).Histogram, ofCase.ToSnapshot(-1).Histogram);
        Assert.Equal(ofKeys.SumMicros, ofCase.SumMicros);
        Assert.Equal(ofKeys.Requests, ofCase.Requests);
    }
}

internal static class RunRecorderTestExtensions
{
    public static KeySnapshot FindCase(this RunRecorder recorder, long unixSecond) =>
        recorder.Rotate(unixSecond).FindKey(KeySnapshot.CaseKey)!;
}
