using System.Buffers;
using PerfTest.Protocols.Flv;

namespace PerfTest.Protocols.Tests.Flv;

public sealed class FlvReaderTests
{
    private static readonly byte[] Header = [(byte)'F', (byte)'L', (byte)'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0];

    private static byte[] Tag(byte type, uint timestamp, params byte[] payload)
    {
        var tag = new byte[11 + payload.Length + 4];
        tag[0] = type;
        tag[1] = (byte)(payload.Length >> 16);
        tag[2] = (byte)(payload.Length >> 8);
        tag[3] = (byte)payload.Length;
        tag[4] = (byte)(timestamp >> 16);
        tag[5] = (byte)(timestamp >> 8);
        tag[6] = (byte)timestamp;
        tag[7] = (byte)(timestamp >> 24);
        payload.CopyTo(tag, 11);
        var previous = 11 + payload.Length;
        tag[^4] = (byte)(previous >> 24);
        tag[^3] = (byte)(previous >> 16);
        tag[^2] = (byte)(previous >> 8);
        tag[^1] = (byte)previous;
        return tag;
    }

    /// <summary>Feeds the bytes in chunks of <paramref name="chunk"/>, as a socket would, and collects the tags.</summary>
    private static (List<FlvTag> Tags, FlvReader Reader, FlvReadStatus Last) ReadAll(byte[] stream, int chunk)
    {
        var reader = new FlvReader();
        var tags = new List<FlvTag>();
        var buffered = 0;
        var consumed = 0;
        var status = FlvReadStatus.NeedMoreData;
        while (consumed < stream.Length)
        {
            buffered = Math.Min(stream.Length, Math.Max(buffered, consumed) + chunk);
            var sequence = new SequenceReader<byte>(new ReadOnlySequence<byte>(stream, consumed, buffered - consumed));
            while ((status = reader.TryRead(ref sequence, out var tag)) == FlvReadStatus.Done)
            {
                if (tag.Type != 0)  // the header read gives no tag
                {
                    tags.Add(tag);
                }
            }
            consumed += (int)sequence.Consumed;
            if (status == FlvReadStatus.Invalid || (buffered == stream.Length && status == FlvReadStatus.NeedMoreData && consumed < stream.Length))
            {
                break;
            }
        }
        return (tags, reader, status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Reads_header_and_tags_whatever_the_chunking(int chunk)
    {
        byte[] stream = [.. Header, .. Tag(18, 0, 2, 0, 10), .. Tag(9, 0, 0x17, 0, 0, 0), .. Tag(8, 23, 0xAF, 1, 5), .. Tag(9, 40, 0x27, 1)];
        var (tags, reader, _) = ReadAll(stream, chunk);
        Assert.True(reader.HasAudio && reader.HasVideo);
        Assert.Equal([FlvTagType.Script, FlvTagType.Video, FlvTagType.Audio, FlvTagType.Video], tags.Select(t => t.Type));
        Assert.Equal([true, false], tags.Where(t => t.Type == FlvTagType.Video).Select(t => t.IsKeyFrame));
        Assert.Equal([0u, 0u, 23u, 40u], tags.Select(t => t.TimestampMs));
        Assert.Equal([3, 4, 3, 2], tags.Select(t => t.DataSize));
    }

    [Fact]
    public void Extended_timestamps_use_the_upper_byte() =>
        Assert.Equal(0x01020304u, ReadAll([.. Header, .. Tag(8, 0x01020304, 1)], 64).Tags.Single().TimestampMs);

    [Theory]
    [InlineData(new byte[] { (byte)'<', (byte)'h', (byte)'t', (byte)'m', (byte)'l' }, "does not start with 'FLV'")]
    [InlineData(new byte[] { (byte)'F', (byte)'L', (byte)'V', 2, 5, 0, 0, 0, 9, 0, 0, 0, 0 }, "version 2")]
    [InlineData(new byte[] { (byte)'F', (byte)'L', (byte)'V', 1, 5, 0, 0, 0, 7, 0, 0, 0, 0 }, "header size 7")]
    public void An_illegal_header_is_invalid_and_says_why(byte[] stream, string expected)
    {
        var (_, reader, status) = ReadAll(stream, 64);
        Assert.Equal(FlvReadStatus.Invalid, status);
        Assert.Contains(expected, reader.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_tag_type_is_invalid()
    {
        var (_, reader, status) = ReadAll([.. Header, .. Tag(3, 0, 1, 2)], 64);
        Assert.Equal(FlvReadStatus.Invalid, status);
        Assert.Contains("tag type 3", reader.Error, StringComparison.Ordinal);
    }
}
