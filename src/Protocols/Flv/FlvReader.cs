using System.Buffers;

namespace PerfTest.Protocols.Flv;

/// <summary>The kind of an FLV tag (its TagType byte).</summary>
public enum FlvTagType : byte
{
    Audio = 8,
    Video = 9,
    Script = 18,
}

/// <summary>One FLV tag's header: its kind, payload size, timestamp (ms) and whether it is a video key frame.</summary>
public readonly record struct FlvTag(FlvTagType Type, int DataSize, uint TimestampMs, bool IsKeyFrame);

/// <summary>What reading the stream's next piece gave.</summary>
public enum FlvReadStatus : byte
{
    /// <summary>Not enough bytes yet: read more and call again with the same unread bytes.</summary>
    NeedMoreData,

    /// <summary>A header or tag was read and consumed.</summary>
    Done,

    /// <summary>The bytes are not FLV (the report's "illegal FLV header" or "parse FLV file").</summary>
    Invalid,
}

/// <summary>
/// Reads an FLV stream (Adobe FLV v10.1, annex E) incrementally over pipe buffers without allocating:
/// first the 9-byte header ("FLV", version 1, flags, data offset) and PreviousTagSize0, then tag after
/// tag (11-byte header, payload, PreviousTagSize), skipping payloads and reporting each tag's kind, size,
/// timestamp and, for video, whether its frame type is a key frame. The caller counts audio and video bytes
/// and measures the time to the first key frame. One reader per stream; not thread-safe.
/// </summary>
public sealed class FlvReader
{
    private const int HeaderSize = 9;
    private const int TagHeaderSize = 11;
    private const int PreviousTagSizeLength = 4;

    public bool HeaderRead { get; private set; }

    /// <summary>The header's flags: the stream says it has audio / video.</summary>
    public bool HasAudio { get; private set; }

    public bool HasVideo { get; private set; }

    /// <summary>Why the last <see cref="FlvReadStatus.Invalid"/> was returned.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the header (the first call) or the next whole tag; a tag's payload must be complete to be consumed.</summary>
    public FlvReadStatus TryRead(ref SequenceReader<byte> reader, out FlvTag tag)
    {
        tag = default;
        return HeaderRead ? TryReadTag(ref reader, out tag) : TryReadHeader(ref reader);
    }

    private FlvReadStatus TryReadHeader(ref SequenceReader<byte> reader)
    {
        Span<byte> header = stackalloc byte[HeaderSize + PreviousTagSizeLength];
        if (!reader.TryCopyTo(header))
        {
            // Judge the signature as soon as its bytes are there, so a wrong answer fails fast.
            return reader.Remaining >= 3 && !StartsWithSignature(ref reader) ? Fail("the stream does not start with 'FLV'") : FlvReadStatus.NeedMoreData;
        }
        if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V')
        {
            return Fail("the stream does not start with 'FLV'");
        }
        if (header[3] != 1)
        {
            return Fail($"FLV version {header[3]} is not 1");
        }
        var offset = (header[5] << 24) | (header[6] << 16) | (header[7] << 8) | header[8];
        if (offset != HeaderSize)
        {
            return Fail($"FLV header size {offset} is not 9");
        }
        HasAudio = (header[4] & 0x04) != 0;
        HasVideo = (header[4] & 0x01) != 0;
        reader.Advance(header.Length);
        HeaderRead = true;
        return FlvReadStatus.Done;
    }

    private FlvReadStatus TryReadTag(ref SequenceReader<byte> reader, out FlvTag tag)
    {
        tag = default;
        Span<byte> head = stackalloc byte[TagHeaderSize + 1];  // and the first payload byte: the video frame type
        if (!reader.TryCopyTo(head[..TagHeaderSize]))
        {
            return FlvReadStatus.NeedMoreData;
        }
        var type = head[0] & 0x1F;  // the upper bits are reserved / the encryption filter flag
        if (type is not ((int)FlvTagType.Audio or (int)FlvTagType.Video or (int)FlvTagType.Script))
        {
            return Fail($"FLV tag type {type} is not 8 (audio), 9 (video) or 18 (script)");
        }
        var size = (head[1] << 16) | (head[2] << 8) | head[3];
        var total = TagHeaderSize + size + PreviousTagSizeLength;
        if (reader.Remaining < total)
        {
            return FlvReadStatus.NeedMoreData;
        }
        var timestamp = (uint)((head[7] << 24) | (head[4] << 16) | (head[5] << 8) | head[6]);
        var keyFrame = false;
        if (type == (int)FlvTagType.Video && size > 0)
        {
            reader.TryCopyTo(head);
            keyFrame = head[TagHeaderSize] >> 4 == 1;
        }
        reader.Advance(total);
        tag = new FlvTag((FlvTagType)type, size, timestamp, keyFrame);
        return FlvReadStatus.Done;
    }

    private static bool StartsWithSignature(ref SequenceReader<byte> reader)
    {
        Span<byte> signature = stackalloc byte[3];
        return reader.TryCopyTo(signature) && signature[0] == 'F' && signature[1] == 'L' && signature[2] == 'V';
    }

    private FlvReadStatus Fail(string error)
    {
        Error = error;
        return FlvReadStatus.Invalid;
    }
}
