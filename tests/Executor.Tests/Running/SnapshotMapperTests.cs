using Google.Protobuf;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>A second survives the wire: recorder snapshot, protobuf bytes, and back.</summary>
public sealed class SnapshotMapperTests
{
    private static IntervalSnapshot RoundTrip(IntervalSnapshot snapshot)
    {
        var bytes = SnapshotMapper.ToProto(snapshot, stageIndex: 0).ToByteArray();
        var parsed = SecondSnapshot.Parser.ParseFrom(bytes);
        return new IntervalSnapshot { Keys = parsed.Keys.Select(SnapshotMapper.FromProto).ToList() };
    }

    [Fact]
    public void Streaming_counters_round_trip_and_http_keys_stay_without_them()
    {
        var recorder = new RunRecorder(2);
        recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));
        recorder.RecordPlay(1, 4_000, new StreamPlayResult
        {
            Outcome = Outcome.Success, BytesSent = 50, BytesReceived = 9_000, AudioBytesReceived = 2_000,
            VideoBytesReceived = 6_000, PacketsReceived = 30, PacketsSent = 5, KeyFrames = 3,
            FirstKeyFrameDelay = TimeSpan.FromMilliseconds(4),
        });
        recorder.RecordPlay(1, 900, new StreamPlayResult { Outcome = Outcome.Other, Failure = StreamFailure.ParseFlvFile });
        var original = recorder.Rotate(1);

        var back = RoundTrip(original);

        Assert.Null(back.FindKey(0)!.Streaming);
        foreach (var key in new[] { 1, KeySnapshot.CaseKey })
        {
            var expected = original.FindKey(key)!.Streaming!;
            var actual = back.FindKey(key)!.Streaming!;
            Assert.Equal(
                (expected.Plays, expected.ErrorPlays, expected.AudioBytesReceived, expected.AudioBytesSent, expected.VideoBytesReceived,
                 expected.VideoBytesSent, expected.PacketsReceived, expected.PacketsSent, expected.KeyFramesReceived),
                (actual.Plays, actual.ErrorPlays, actual.AudioBytesReceived, actual.AudioBytesSent, actual.VideoBytesReceived,
                 actual.VideoBytesSent, actual.PacketsReceived, actual.PacketsSent, actual.KeyFramesReceived));
            Assert.Equal(
                (expected.KeyFrameDelays, expected.KeyFrameDelaySumMicros, expected.KeyFrameDelayMinMicros, expected.KeyFrameDelayMaxMicros),
                (actual.KeyFrameDelays, actual.KeyFrameDelaySumMicros, actual.KeyFrameDelayMinMicros, actual.KeyFrameDelayMaxMicros));
            Assert.Equal(expected.Failures, actual.Failures);
        }
        Assert.Equal(2, back.FindKey(1)!.Streaming!.Plays);
        Assert.Equal(4_000, back.FindKey(1)!.Streaming!.KeyFrameDelayMaxMicros);
        Assert.Equal(1, back.FindKey(1)!.Streaming!.Failed(StreamFailure.ParseFlvFile));
    }

    [Fact]
    public void A_key_without_plays_carries_no_streaming_field_on_the_wire()
    {
        var recorder = new RunRecorder(1);
        recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));

        var proto = SnapshotMapper.ToProto(recorder.Rotate(1), stageIndex: 0);

        Assert.All(proto.Keys, k => Assert.Null(k.Streaming));
    }

    [Fact]
    public void Failures_from_an_executor_with_fewer_or_more_stages_are_padded_or_cut()
    {
        var shorter = new StreamingStats { Plays = 1 };
        shorter.Failures.Add([0, 1]);
        var longer = new StreamingStats { Plays = 1 };
        longer.Failures.Add(Enumerable.Repeat(1L, StreamingSnapshot.FailureCount + 3));

        Assert.Equal(StreamingSnapshot.FailureCount, SnapshotMapper.FromProto(shorter).Failures.Length);
        Assert.Equal(1, SnapshotMapper.FromProto(shorter).Failed(StreamFailure.TcpConnect));
        Assert.Equal(StreamingSnapshot.FailureCount, SnapshotMapper.FromProto(longer).Failures.Length);
    }
}
