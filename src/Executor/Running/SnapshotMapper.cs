using Google.Protobuf;
using PerfTest.Executor.Grpc;
using PerfTest.Metrics;

namespace PerfTest.Executor.Running;

/// <summary>Between the metrics model and its protobuf form on the wire.</summary>
public static class SnapshotMapper
{
    public static SecondSnapshot ToProto(IntervalSnapshot snapshot, int stageIndex)
    {
        var proto = new SecondSnapshot { UnixSecond = snapshot.UnixSecond, VirtualUsers = snapshot.VirtualUsers, StageIndex = stageIndex };
        foreach (var key in snapshot.Keys)
        {
            proto.Keys.Add(ToProto(key));
        }
        return proto;
    }

    public static KeyStats ToProto(KeySnapshot key)
    {
        var stats = new KeyStats
        {
            Key = key.Key, Requests = key.Requests, BytesSent = key.BytesSent, BytesReceived = key.BytesReceived,
            MinMicros = key.MinMicros, MaxMicros = key.MaxMicros, SumMicros = key.SumMicros,
            Histogram = ByteString.CopyFrom(key.Histogram),
            Streaming = key.Streaming is { } streaming ? ToProto(streaming) : null,
        };
        stats.Outcomes.Add(key.Outcomes);
        stats.StatusClasses.Add(key.StatusClasses);
        return stats;
    }

    public static KeySnapshot FromProto(KeyStats stats) => new()
    {
        Key = stats.Key,
        Requests = stats.Requests,
        Outcomes = Padded(stats.Outcomes, Protocols.RequestResult.OutcomeCount),
        StatusClasses = Padded(stats.StatusClasses, 5),
        BytesSent = stats.BytesSent,
        BytesReceived = stats.BytesReceived,
        MinMicros = stats.MinMicros,
        MaxMicros = stats.MaxMicros,
        SumMicros = stats.SumMicros,
        Histogram = stats.Histogram.ToByteArray(),
        Streaming = stats.Streaming is { } streaming ? FromProto(streaming) : null,
    };

    public static StreamingStats ToProto(StreamingSnapshot streaming)
    {
        var stats = new StreamingStats
        {
            Plays = streaming.Plays, ErrorPlays = streaming.ErrorPlays,
            AudioBytesReceived = streaming.AudioBytesReceived, AudioBytesSent = streaming.AudioBytesSent,
            VideoBytesReceived = streaming.VideoBytesReceived, VideoBytesSent = streaming.VideoBytesSent,
            PacketsReceived = streaming.PacketsReceived, PacketsSent = streaming.PacketsSent,
            KeyFramesReceived = streaming.KeyFramesReceived, KeyFrameDelays = streaming.KeyFrameDelays,
            KeyFrameDelaySumMicros = streaming.KeyFrameDelaySumMicros,
            KeyFrameDelayMinMicros = streaming.KeyFrameDelayMinMicros,
            KeyFrameDelayMaxMicros = streaming.KeyFrameDelayMaxMicros,
        };
        stats.Failures.Add(streaming.Failures);
        return stats;
    }

    public static StreamingSnapshot FromProto(StreamingStats stats) => new()
    {
        Plays = stats.Plays, ErrorPlays = stats.ErrorPlays,
        AudioBytesReceived = stats.AudioBytesReceived, AudioBytesSent = stats.AudioBytesSent,
        VideoBytesReceived = stats.VideoBytesReceived, VideoBytesSent = stats.VideoBytesSent,
        PacketsReceived = stats.PacketsReceived, PacketsSent = stats.PacketsSent,
        KeyFramesReceived = stats.KeyFramesReceived, KeyFrameDelays = stats.KeyFrameDelays,
        KeyFrameDelaySumMicros = stats.KeyFrameDelaySumMicros,
        KeyFrameDelayMinMicros = stats.KeyFrameDelayMinMicros,
        KeyFrameDelayMaxMicros = stats.KeyFrameDelayMaxMicros,
        // Padded: a newer executor's extra failure classes are dropped, an older one's missing ones read 0.
        Failures = Padded(stats.Failures, StreamingSnapshot.FailureCount),
    };

    private static long[] Padded(Google.Protobuf.Collections.RepeatedField<long> values, int length)
    {
        var result = new long[length];
        for (var i = 0; i < Math.Min(length, values.Count); i++)
        {
            result[i] = values[i];
        }
        return result;
    }
}
