using System.Buffers.Binary;
using System.Diagnostics;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// Counts the media of one play: audio (type 8) and video (type 9) messages and their payload bytes, key
/// frames (a video payload whose first byte's frame type is 1), and when the first key frame came. The
/// sub-messages of an aggregate message (type 22) count as the messages they carry. Reads only a byte or
/// two of each payload: nothing is decoded or allocated.
/// </summary>
internal sealed class MediaCounters(long startTimestamp)
{
    // An aggregate's sub-message: an FLV tag header (type, size, timestamp, stream id) then its back pointer.
    private const int TagHeaderSize = 11;
    private const int BackPointerSize = 4;

    public long AudioBytes { get; private set; }

    public long VideoBytes { get; private set; }

    public long Packets { get; private set; }

    public long KeyFrames { get; private set; }

    public TimeSpan? FirstKeyFrameDelay { get; private set; }

    public bool Any => Packets > 0;

    /// <summary>Counts the message if it is media; false when it is not (a command, data, user control...).</summary>
    public bool TryCount(in RtmpMessage message)
    {
        switch (message.TypeId)
        {
            case RtmpMessageType.Audio or RtmpMessageType.Video:
                Count(message.TypeId, message.Payload.Span);
                return true;
            case RtmpMessageType.Aggregate:
                CountAggregate(message.Payload.Span);
                return true;
            default:
                return false;
        }
    }

    private void Count(byte typeId, ReadOnlySpan<byte> payload)
    {
        Packets++;
        if (typeId == RtmpMessageType.Audio)
        {
            AudioBytes += payload.Length;
            return;
        }
        VideoBytes += payload.Length;
        // The frame type is the high nibble; enhanced RTMP sets the top bit (IsExHeader) and keeps the type in the next three.
        if (payload.Length > 0 && ((payload[0] >> 4) & 0x7) == 1)
        {
            KeyFrames++;
            FirstKeyFrameDelay ??= Stopwatch.GetElapsedTime(startTimestamp);
        }
    }

    private void CountAggregate(ReadOnlySpan<byte> payload)
    {
        while (payload.Length >= TagHeaderSize)
        {
            var type = payload[0];
            var size = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0xFFFFFF);
            if (size > payload.Length - TagHeaderSize)
            {
                throw new FormatException($"an aggregate message's {size}-byte sub-message overruns it");
            }
            if (type is RtmpMessageType.Audio or RtmpMessageType.Video)
            {
                Count(type, payload.Slice(TagHeaderSize, size));
            }
            payload = payload[Math.Min(payload.Length, TagHeaderSize + size + BackPointerSize)..];
        }
    }
}
