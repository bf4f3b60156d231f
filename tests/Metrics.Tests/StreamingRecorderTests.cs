using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Metrics.Tests;

/// <summary>RecordPlay: a play is a request of its key plus streaming counters, summed into the case and merged like the rest.</summary>
public class StreamingRecorderTests
{
    private static StreamPlayResult Played(long delayMs, long packets = 10) => new()
    {
        Outcome = Outcome.Success,
        BytesSent = 100,
        BytesReceived = 5_000,
        AudioBytesReceived = 1_000,
        VideoBytesReceived = 3_000,
        PacketsReceived = packets,
        PacketsSent = 4,
        KeyFrames = 2,
        FirstKeyFrameDelay = TimeSpan.FromMilliseconds(delayMs),
    };

    private static StreamPlayResult Failed(StreamFailure stage, Outcome outcome = Outcome.Refused) => new()
    {
        Outcome = outcome,
        Failure = stage,
        BytesSent = 10,
        PacketsSent = 1,
    };

    [Fact]
    public void A_play_is_a_request_of_its_key_with_its_streaming_counters()
    {
        var recorder = new RunRecorder(2);
        recorder.RecordPlay(0, 2_000, Played(delayMs: 2));
        recorder.RecordPlay(0, 7_000, Played(delayMs: 7));
        recorder.RecordPlay(0, 500, Failed(StreamFailure.TcpConnect));
        recorder.Record(1, 1_000, TestData.Ok);

        var key0 = recorder.Rotate(1).FindKey(0)!;

        Assert.Equal(3, key0.Requests);
        Assert.Equal([2, 0, 0, 1, 0, 0], key0.Outcomes);
        Assert.Equal([0, 0, 0, 0, 0], key0.StatusClasses);
        Assert.Equal(210, key0.BytesSent);
        Assert.Equal(10_000, key0.BytesReceived);
        Assert.Equal(9_500, key0.SumMicros);
        var s = key0.Streaming!;
        Assert.Equal(3, s.Plays);
        Assert.Equal(1, s.ErrorPlays);
        Assert.Equal(2_000, s.AudioBytesReceived);
        Assert.Equal(6_000, s.VideoBytesReceived);
        Assert.Equal(0, s.AudioBytesSent + s.VideoBytesSent);
        Assert.Equal(20, s.PacketsReceived);
        Assert.Equal(9, s.PacketsSent);
        Assert.Equal(4, s.KeyFramesReceived);
        Assert.Equal(2, s.KeyFrameDelays);
        Assert.Equal(9_000, s.KeyFrameDelaySumMicros);
        Assert.Equal(2_000, s.KeyFrameDelayMinMicros);
        Assert.Equal(7_000, s.KeyFrameDelayMaxMicros);
        Assert.Equal(1, s.Failed(StreamFailure.TcpConnect));
        Assert.Equal(1, s.Failures.Sum());
    }

    [Fact]
    public void Keys_without_plays_have_no_streaming_part()
    {
        var recorder = new RunRecorder(2);
        recorder.Record(0, 1_000, TestData.Ok);

        var snapshot = recorder.Rotate(1);

        Assert.All(snapshot.Keys, k => Assert.Null(k.Streaming));
    }

    [Fact]
    public void Every_failure_stage_is_counted_apart_and_a_stageless_failure_only_as_an_error_play()
    {
        var recorder = new RunRecorder(1);
        var stages = Enum.GetValues<StreamFailure>().Where(f => f != StreamFailure.None).ToList();
        foreach (var stage in stages)
        {
            recorder.RecordPlay(0, 1_000, Failed(stage));
        }
        recorder.RecordPlay(0, 1_000, Failed(StreamFailure.None, Outcome.CheckpointFailed));
        recorder.RecordPlay(0, 1_000, Failed((StreamFailure)200));  // out of range: counted as Unknown

        var s = recorder.Rotate(1).FindKey(0)!.Streaming!;

        Assert.Equal(stages.Count + 2, s.ErrorPlays);
        Assert.Equal(0, s.Failed(StreamFailure.None));
        Assert.All(stages.Where(f => f != StreamFailure.Unknown), f => Assert.Equal(1, s.Failed(f)));
        Assert.Equal(2, s.Failed(StreamFailure.Unknown));
        Assert.Equal(0, s.KeyFrameDelays);
        Assert.Equal(0, s.KeyFrameDelayMinMicros);
    }

    [Fact]
    public void The_case_sums_the_request_keys_streaming_but_not_the_transactions()
    {
        var recorder = new RunRecorder(keyCount: 3, caseKeyCount: 2);
        recorder.RecordPlay(0, 3_000, Played(delayMs: 3, packets: 5));
        recorder.Record(1, 1_000, TestData.Ok);
        recorder.RecordPlay(1, 9_000, Played(delayMs: 9, packets: 7));
        recorder.RecordPlay(2, 1_000, Played(delayMs: 1, packets: 100));  // a transaction key

        var snapshot = recorder.Rotate(1);

        var whole = snapshot.FindKey(KeySnapshot.CaseKey)!;
        Assert.Equal(3, whole.Requests);
        Assert.Equal(2, whole.Streaming!.Plays);
        Assert.Equal(12, whole.Streaming.PacketsReceived);
        Assert.Equal(12_000, whole.Streaming.KeyFrameDelaySumMicros);
        Assert.Equal(3_000, whole.Streaming.KeyFrameDelayMinMicros);
        Assert.Equal(9_000, whole.Streaming.KeyFrameDelayMaxMicros);
        Assert.Equal(100, snapshot.FindKey(2)!.Streaming!.PacketsReceived);
    }

    [Fact]
    public void A_play_lands_in_the_interval_it_was_recorded_in_and_later_plays_leave_it_alone()
    {
        var recorder = new RunRecorder(1);
        recorder.RecordPlay(0, 1_000, Played(delayMs: 1));
        var first = recorder.Rotate(1);
        recorder.RecordPlay(0, 2_000, Played(delayMs: 2));
        recorder.RecordPlay(0, 4_000, Played(delayMs: 4));
        var second = recorder.Rotate(2);
        var third = recorder.Rotate(3);

        Assert.Equal(1, first.FindKey(0)!.Streaming!.Plays);
        Assert.Equal(1_000, first.FindKey(0)!.Streaming!.KeyFrameDelayMaxMicros);
        Assert.Equal(1, first.FindKey(KeySnapshot.CaseKey)!.Streaming!.Plays);
        Assert.Equal(2, second.FindKey(0)!.Streaming!.Plays);
        Assert.Equal(2_000, second.FindKey(0)!.Streaming!.KeyFrameDelayMinMicros);
        Assert.Null(third.FindKey(0)!.Streaming);
        Assert.Null(third.FindKey(KeySnapshot.CaseKey)!.Streaming);
    }

    [Fact]
    public void Concurrent_plays_and_rotation_lose_nothing_and_count_nothing_twice()
    {
        const int threads = 4, perThread = 5_000;
        var recorder = new RunRecorder(2);
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perThread; i++)
            {
                recorder.RecordPlay((t + i) % 2, 1_000, Played(delayMs: 1 + (i % 50)));
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        var snapshots = new List<IntervalSnapshot>();
        start.SignalAndWait();
        while (workers.Exists(w => w.IsAlive))
        {
            snapshots.Add(recorder.Rotate(snapshots.Count));
        }
        workers.ForEach(w => w.Join());
        snapshots.Add(recorder.Rotate(snapshots.Count));

        var whole = TestData.Merge(snapshots.Select(s => s.FindKey(KeySnapshot.CaseKey)!));
        Assert.Equal(threads * perThread, whole.Streaming!.Plays);
        Assert.Equal(whole.Requests, whole.Streaming.Plays);
        Assert.Equal(10L * threads * perThread, whole.Streaming.PacketsReceived);
        Assert.Equal(1_000, whole.Streaming.KeyFrameDelayMinMicros);
        Assert.Equal(50_000, whole.Streaming.KeyFrameDelayMaxMicros);
        Assert.All(snapshots, s => Assert.Equal(s.FindKey(KeySnapshot.CaseKey)!.Requests, s.FindKey(KeySnapshot.CaseKey)!.Streaming?.Plays ?? 0));
    }

    [Fact]
    public void Merging_two_snapshots_adds_counters_and_keeps_the_true_delay_extremes()
    {
        var left = new RunRecorder(1);
        left.RecordPlay(0, 5_000, Played(delayMs: 5));
        left.RecordPlay(0, 8_000, Played(delayMs: 8));
        var right = new RunRecorder(1);
        right.RecordPlay(0, 3_000, Played(delayMs: 3));
        right.RecordPlay(0, 1_000, Failed(StreamFailure.Handshake));
        var noDelays = new RunRecorder(1);
        noDelays.RecordPlay(0, 1_000, Failed(StreamFailure.Handshake));

        var merged = TestData.Merge([left.Rotate(1).FindKey(0)!, noDelays.Rotate(1).FindKey(0)!, right.Rotate(1).FindKey(0)!]);

        var s = merged.Streaming!;
        Assert.Equal(5, s.Plays);
        Assert.Equal(2, s.ErrorPlays);
        Assert.Equal(3, s.KeyFrameDelays);
        Assert.Equal(16_000, s.KeyFrameDelaySumMicros);
        Assert.Equal(3_000, s.KeyFrameDelayMinMicros);  // the delay-less parts' 0 is not a minimum
        Assert.Equal(8_000, s.KeyFrameDelayMaxMicros);
        Assert.Equal(2, s.Failed(StreamFailure.Handshake));

        // ToSnapshot hands out a copy: merging it elsewhere leaves this aggregate as it was.
        var again = TestData.Merge([merged.ToSnapshot(0), merged.ToSnapshot(0)]);
        Assert.Equal(10, again.Streaming!.Plays);
        Assert.Equal(4, again.Streaming.Failed(StreamFailure.Handshake));
        Assert.Equal(5, merged.Streaming!.Plays);
    }

    [Fact]
    public void An_aggregate_without_plays_has_no_streaming()
    {
        Assert.Null(TestData.Uniform(10).Streaming);
        Assert.Null(TestData.Uniform(10).ToSnapshot(0).Streaming);
    }
}
