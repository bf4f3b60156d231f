using System.Diagnostics.CodeAnalysis;
using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Metrics;

/// <summary>
/// The streaming part of a <see cref="KeySnapshot"/>: what the streaming plays (HLS, RTMP, HTTP-FLV) of one key
/// did over some time on some executors. Plain data like its owner; <see cref="Add(StreamingSnapshot)"/> merges
/// two of them (seconds, executors, keys into the case). Bytes are bytes; key-frame delays are microseconds.
/// </summary>
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Wire DTO mapped 1:1 to a protobuf repeated field.")]
public sealed class StreamingSnapshot
{
    /// <summary>Length of <see cref="Failures"/>: every <see cref="StreamFailure"/> value, None included.</summary>
    public const int FailureCount = (int)StreamFailure.Unknown + 1;

    public long Plays { get; set; }

    /// <summary>Plays whose outcome was not Success.</summary>
    public long ErrorPlays { get; set; }

    public long AudioBytesReceived { get; set; }

    /// <summary>0 until a publishing player exists; kept so the report's field has a source.</summary>
    public long AudioBytesSent { get; set; }

    public long VideoBytesReceived { get; set; }

    /// <summary>0 until a publishing player exists.</summary>
    public long VideoBytesSent { get; set; }

    public long PacketsReceived { get; set; }

    public long PacketsSent { get; set; }

    public long KeyFramesReceived { get; set; }

    /// <summary>Plays that reported a first key-frame delay; the count behind the delay sum, min and max.</summary>
    public long KeyFrameDelays { get; set; }

    public long KeyFrameDelaySumMicros { get; set; }

    /// <summary>0 when <see cref="KeyFrameDelays"/> is 0.</summary>
    public long KeyFrameDelayMinMicros { get; set; }

    public long KeyFrameDelayMaxMicros { get; set; }

    /// <summary>Length <see cref="FailureCount"/>, indexed by <c>(int)StreamFailure</c>; index 0 (None) stays 0.</summary>
    public long[] Failures { get; set; } = new long[FailureCount];

    public long Failed(StreamFailure stage) => Failures[(int)stage];

    /// <summary>Counts one play. Not thread-safe: the recorder serialises the plays of one key.</summary>
    public void AddPlay(StreamPlayResult play)
    {
        ArgumentNullException.ThrowIfNull(play);
        Plays++;
        if (play.Outcome != Outcome.Success)
        {
            ErrorPlays++;
        }

        AudioBytesReceived += play.AudioBytesReceived;
        VideoBytesReceived += play.VideoBytesReceived;
        PacketsReceived += play.PacketsReceived;
        PacketsSent += play.PacketsSent;
        KeyFramesReceived += play.KeyFrames;
        if (play.FirstKeyFrameDelay is { } delay)
        {
            long micros = Math.Max(0, delay.Ticks / TimeSpan.TicksPerMicrosecond);
            AddDelays(1, micros, micros, micros);
        }

        // A failed checkpoint fails the play without a stream stage (None): it is in ErrorPlays only.
        int stage = (int)play.Failure;
        if (stage != (int)StreamFailure.None)
        {
            Failures[(uint)stage < FailureCount ? stage : (int)StreamFailure.Unknown]++;
        }
    }

    /// <summary>Merges <paramref name="other"/> in: counters add, the delay min/max only over parts that had delays.</summary>
    public void Add(StreamingSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Plays += other.Plays;
        ErrorPlays += other.ErrorPlays;
        AudioBytesReceived += other.AudioBytesReceived;
        AudioBytesSent += other.AudioBytesSent;
        VideoBytesReceived += other.VideoBytesReceived;
        VideoBytesSent += other.VideoBytesSent;
        PacketsReceived += other.PacketsReceived;
        PacketsSent += other.PacketsSent;
        KeyFramesReceived += other.KeyFramesReceived;
        AddDelays(other.KeyFrameDelays, other.KeyFrameDelaySumMicros, other.KeyFrameDelayMinMicros, other.KeyFrameDelayMaxMicros);
        for (int i = 0; i < Math.Min(Failures.Length, other.Failures.Length); i++)
        {
            Failures[i] += other.Failures[i];
        }
    }

    public StreamingSnapshot Clone()
    {
        var copy = (StreamingSnapshot)MemberwiseClone();
        copy.Failures = (long[])Failures.Clone();
        return copy;
    }

    private void AddDelays(long count, long sumMicros, long minMicros, long maxMicros)
    {
        if (count == 0)
        {
            return;
        }

        KeyFrameDelayMinMicros = KeyFrameDelays == 0 ? minMicros : Math.Min(KeyFrameDelayMinMicros, minMicros);
        KeyFrameDelayMaxMicros = KeyFrameDelays == 0 ? maxMicros : Math.Max(KeyFrameDelayMaxMicros, maxMicros);
        KeyFrameDelays += count;
        KeyFrameDelaySumMicros += sumMicros;
    }
}
