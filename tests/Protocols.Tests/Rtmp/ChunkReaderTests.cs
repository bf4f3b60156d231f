using System.Buffers;
using System.Buffers.Binary;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>The chunk reader on hand-made chunk streams, whole and cut at every byte.</summary>
public sealed class ChunkReaderTests
{
    /// <summary>A message as the tests compare it (the payload copied out of the reader's buffer).</summary>
    private sealed record Message(int ChunkStream, byte Type, uint StreamId, uint Timestamp, byte[] Payload);

    [Fact]
    public void Reads_the_four_header_formats_and_their_inherited_fields()
    {
        var wire = new List<byte>();
        Header(wire, 0, 4, timestamp: 1000, length: 3, type: 8, streamId: 1);
        wire.AddRange([1, 2, 3]);
        Header(wire, 1, 4, timestamp: 20, length: 2, type: 9);  // delta 20, new length and type
        wire.AddRange([4, 5]);
        Header(wire, 2, 4, timestamp: 30);  // delta 30, same length and type
        wire.AddRange([6, 7]);
        Header(wire, 3, 4);  // everything inherited, delta 30 again
        wire.AddRange([8, 9]);

        var messages = ReadAll(wire.ToArray());

        Assert.Equal(
            [(8, 1000u, "1,2,3"), (9, 1020u, "4,5"), (9, 1050u, "6,7"), (9, 1080u, "8,9")],
            messages.Select(m => ((int)m.Type, m.Timestamp, string.Join(',', m.Payload))));
        Assert.All(messages, m => Assert.Equal((4, 1u), (m.ChunkStream, m.StreamId)));
    }

    [Fact]
    public void A_message_longer_than_the_chunk_size_is_split_into_format_3_chunks_interleaved_with_other_streams()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var wire = new List<byte>();
        Header(wire, 0, 6, timestamp: 5, length: 300, type: 9, streamId: 1);
        wire.AddRange(payload[..128]);
        Header(wire, 0, 4, timestamp: 7, length: 1, type: 8, streamId: 1);  // another stream's message in between
        wire.Add(0xAF);
        Header(wire, 3, 6);
        wire.AddRange(payload[128..256]);
        Header(wire, 3, 6);
        wire.AddRange(payload[256..]);

        var messages = ReadAll(wire.ToArray());

        Assert.Equal(2, messages.Count);
        Assert.Equal(8, messages[0].Type);
        Assert.Equal(new byte[] { 0xAF }, messages[0].Payload);
        Assert.Equal((9, 5u), (messages[1].Type, messages[1].Timestamp));
        Assert.Equal(payload, messages[1].Payload);
    }

    [Fact]
    public void Extended_timestamps_are_read_also_on_the_format_3_chunks_of_the_message()
    {
        var payload = new byte[200];
        payload[199] = 42;
        var wire = new List<byte>();
        Header(wire, 0, 5, timestamp: 0xFFFFFF, length: 200, type: 9, streamId: 1);
        Big32(wire, 0x01234567);  // the extended timestamp
        wire.AddRange(payload[..128]);
        Header(wire, 3, 5);
        Big32(wire, 0x01234567);  // repeated on the continuation chunk
        wire.AddRange(payload[128..]);
        Header(wire, 1, 5, timestamp: 0xFFFFFF, length: 1, type: 8);  // an extended delta
        Big32(wire, 0x100);
        wire.Add(1);

        var messages = ReadAll(wire.ToArray());

        Assert.Equal(0x01234567u, messages[0].Timestamp);
        Assert.Equal(payload, messages[0].Payload);
        Assert.Equal((0x01234567u + 0x100, 8), (messages[1].Timestamp, (int)messages[1].Type));
    }

    [Fact]
    public void Set_chunk_size_applies_to_the_very_next_chunk()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var wire = new List<byte>();
        Header(wire, 0, 2, timestamp: 0, length: 4, type: RtmpMessageType.SetChunkSize, streamId: 0);
        Big32(wire, 4096);
        Header(wire, 0, 6, timestamp: 0, length: 1000, type: 9, streamId: 1);
        wire.AddRange(payload);  // one chunk now

        var reader = new ChunkReader();
        var messages = ReadAll(wire.ToArray(), reader);

        Assert.Equal(4096, reader.ChunkSize);
        Assert.Equal(payload, messages[1].Payload);
    }

    [Fact]
    public void Abort_drops_the_partial_message_of_its_chunk_stream()
    {
        var wire = new List<byte>();
        Header(wire, 0, 6, timestamp: 0, length: 200, type: 9, streamId: 1);
        wire.AddRange(new byte[128]);  // first chunk of 2, then aborted
        Header(wire, 0, 2, timestamp: 0, length: 4, type: RtmpMessageType.Abort, streamId: 0);
        Big32(wire, 6);
        Header(wire, 0, 6, timestamp: 0, length: 2, type: 9, streamId: 1);
        wire.AddRange([0x17, 1]);

        var messages = ReadAll(wire.ToArray());

        Assert.Equal([RtmpMessageType.Abort, (byte)9], messages.Select(m => m.Type));
        Assert.Equal(new byte[] { 0x17, 1 }, messages[1].Payload);
    }

    [Fact]
    public void Two_and_three_byte_basic_headers_name_chunk_streams_from_64()
    {
        var wire = new List<byte>();
        wire.AddRange([0x00, 10]);  // format 0, 2-byte form: id 74
        MessageHeader(wire, length: 1, type: 8);
        wire.Add(1);
        wire.AddRange([0x01, 0x10, 0x01]);  // format 0, 3-byte form: id 64 + 0x10 + 256 = 336
        MessageHeader(wire, length: 1, type: 9);
        wire.Add(0x27);

        var messages = ReadAll(wire.ToArray());

        Assert.Equal([74, 336], messages.Select(m => m.ChunkStream));
    }

    [Fact]
    public void Every_cut_of_the_stream_gives_the_same_messages()
    {
        var wire = new List<byte>();
        Header(wire, 0, 2, timestamp: 0, length: 4, type: RtmpMessageType.SetChunkSize, streamId: 0);
        Big32(wire, 100);
        Header(wire, 0, 6, timestamp: 0xFFFFFF, length: 250, type: 9, streamId: 1);
        Big32(wire, 70_000);
        wire.AddRange(Enumerable.Range(0, 100).Select(i => (byte)i));
        wire.AddRange([0x00, 10]);  // a 2-byte basic header interleaved
        MessageHeader(wire, length: 3, type: 8);
        wire.AddRange([7, 8, 9]);
        for (var chunk = 1; chunk < 3; chunk++)
        {
            Header(wire, 3, 6);
            Big32(wire, 70_000);
            wire.AddRange(Enumerable.Range(chunk * 100, Math.Min(100, 250 - chunk * 100)).Select(i => (byte)i));
        }
        var bytes = wire.ToArray();
        var whole = ReadAll(bytes);
        Assert.Equal(3, whole.Count);

        for (var step = 1; step <= 7; step++)
        {
            Assert.Equal(Describe(whole), Describe(ReadInSteps(bytes, step)));
        }
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(Describe(whole), Describe(ReadAll(Segmented(bytes, cut))));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x46, 0, 0, 0, 0, 0, 1, 8, 0 })]  // format 1 on a chunk stream that never had a format 0 header
    [InlineData(new byte[] { 0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]  // Set Chunk Size 0
    public void Broken_chunk_streams_are_format_errors(byte[] wire) =>
        Assert.Throws<FormatException>(() => ReadAll(wire));

    private static string Describe(List<Message> messages) =>
        string.Join(" | ", messages.Select(m => $"{m.ChunkStream}/{m.Type}/{m.Timestamp}/{Convert.ToHexString(m.Payload)}"));

    private static List<Message> ReadAll(byte[] wire, ChunkReader? reader = null) =>
        ReadAll(new ReadOnlySequence<byte>(wire), reader);

    private static List<Message> ReadAll(ReadOnlySequence<byte> wire, ChunkReader? chunks = null)
    {
        chunks ??= new ChunkReader();
        var reader = new SequenceReader<byte>(wire);
        var messages = new List<Message>();
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            messages.Add(Copy(message));
        }
        Assert.Equal(0, reader.Remaining);
        return messages;
    }

    /// <summary>As a pipe delivers it: <paramref name="step"/> more bytes each time, what was not consumed offered again.</summary>
    private static List<Message> ReadInSteps(byte[] wire, int step)
    {
        var chunks = new ChunkReader();
        var messages = new List<Message>();
        var consumed = 0;
        for (var available = step; consumed < wire.Length; available = Math.Min(wire.Length, available + step))
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(wire, consumed, available - consumed));
            while (chunks.TryReadMessage(ref reader, out var message))
            {
                messages.Add(Copy(message));
            }
            consumed += (int)reader.Consumed;
            Assert.True(available < wire.Length || consumed == wire.Length);  // bounded: everything read at the end
        }
        return messages;
    }

    /// <summary>The bytes as a two-segment sequence cut at <paramref name="cut"/>: headers and payloads across buffer boundaries.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] wire, int cut)
    {
        var first = new Segment(wire.AsMemory(0, cut), 0);
        var second = new Segment(wire.AsMemory(cut), cut);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, wire.Length - cut);
    }

    private static Message Copy(in RtmpMessage m) => new(m.ChunkStreamId, m.TypeId, m.StreamId, m.Timestamp, m.Payload.ToArray());

    private static void Header(List<byte> wire, int format, int chunkStream, uint timestamp = 0, int length = 0, byte type = 0, uint streamId = 0)
    {
        wire.Add((byte)(format << 6 | chunkStream));
        if (format == 3)
        {
            return;
        }
        wire.AddRange([(byte)(timestamp >> 16), (byte)(timestamp >> 8), (byte)timestamp]);
        if (format == 2)
        {
            return;
        }
        wire.AddRange([(byte)(length >> 16), (byte)(length >> 8), (byte)length, type]);
        if (format == 0)
        {
            var id = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(id, streamId);
            wire.AddRange(id);
        }
    }

    /// <summary>A format 0 message header after a hand-written basic header (timestamp 0, stream 1).</summary>
    private static void MessageHeader(List<byte> wire, int length, byte type) =>
        wire.AddRange([0, 0, 0, (byte)(length >> 16), (byte)(length >> 8), (byte)length, type, 1, 0, 0, 0]);

    private static void Big32(List<byte> wire, uint value) =>
        wire.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
