using System.Buffers;
using System.Buffers.Binary;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// Reassembles RTMP messages from the chunk stream (RTMP specification 5.3) read from pipe buffers: the
/// four chunk header formats, 1-3 byte basic headers, extended timestamps (on format 3 chunks too, as the
/// last header had one), interleaved chunk streams. It applies the two messages that change the chunking
/// itself, Set Chunk Size and Abort, as soon as they complete (the very next chunk depends on them), and
/// still returns them. Nothing is allocated per message: each chunk stream reuses its payload buffer.
/// A stream that breaks the format throws <see cref="FormatException"/>.
/// </summary>
internal sealed class ChunkReader
{
    /// <summary>The largest chunk size accepted: a message is at most 2^24-1 bytes, so bigger chunks mean nothing.</summary>
    public const int MaxChunkSize = 0xFFFFFF;

    private readonly Dictionary<int, ChunkStreamState> _streams = [];
    private ChunkStreamState? _current;  // the chunk whose payload is partly read
    private int _chunkRemaining;

    /// <summary>The peer's chunk size: 128 until it sends Set Chunk Size.</summary>
    public int ChunkSize { get; private set; } = 128;

    /// <summary>
    /// Consumes whole chunk headers and as much chunk payload as <paramref name="reader"/> holds, until one
    /// message is complete (true) or the data runs out (false; a partial header is left unread for the next call).
    /// </summary>
    public bool TryReadMessage(ref SequenceReader<byte> reader, out RtmpMessage message)
    {
        while (true)
        {
            if (_current is null && !TryReadHeader(ref reader))
            {
                message = default;
                return false;
            }
            var state = _current!;
            var count = (int)Math.Min(_chunkRemaining, reader.Remaining);
            if (count > 0)
            {
                state.EnsureCapacity(state.Received + count);
                reader.TryCopyTo(state.Buffer.AsSpan(state.Received, count));
                reader.Advance(count);
                state.Received += count;
                _chunkRemaining -= count;
            }
            if (_chunkRemaining > 0)
            {
                message = default;
                return false;
            }
            _current = null;
            if (state.Received == state.MessageLength)
            {
                message = new RtmpMessage(state.Id, state.TypeId, state.StreamId, state.Timestamp, state.Buffer.AsMemory(0, state.MessageLength));
                state.Received = 0;
                ApplyChunkControl(message);
                return true;
            }
        }
    }

    /// <summary>Reads one chunk's basic and message headers, or nothing at all when they are not all buffered yet.</summary>
    private bool TryReadHeader(ref SequenceReader<byte> reader)
    {
        var start = reader;
        if (!TryReadBasicHeader(ref reader, out var format, out var id))
        {
            reader = start;
            return false;
        }
        var headerLength = format switch { 0 => 11, 1 => 7, 2 => 3, _ => 0 };
        Span<byte> header = stackalloc byte[11];
        if (!reader.TryCopyTo(header[..headerLength]))
        {
            reader = start;
            return false;
        }
        reader.Advance(headerLength);
        var state = StateOf(id, format);
        var timestamp = format == 3 ? 0u : ReadUInt24(header);
        var extended = format == 3 ? state.ExtendedTimestamp : timestamp == 0xFFFFFF;
        if (extended)
        {
            if (!reader.TryReadBigEndian(out int value))
            {
                reader = start;
                return false;
            }
            timestamp = (uint)value;
        }
        Commit(state, format, header, timestamp, extended);
        return true;
    }

    private static bool TryReadBasicHeader(ref SequenceReader<byte> reader, out int format, out int id)
    {
        id = 0;
        if (!reader.TryRead(out var first))
        {
            format = 0;
            return false;
        }
        format = first >> 6;
        id = first & 0x3F;
        switch (id)
        {
            case 0:  // 2-byte form: ids 64-319
                if (!reader.TryRead(out var low)) { return false; }
                id = 64 + low;
                break;
            case 1:  // 3-byte form: ids 64-65599, low byte first
                if (!reader.TryRead(out var lo) || !reader.TryRead(out var hi)) { return false; }
                id = 64 + lo + (hi << 8);
                break;
        }
        return true;
    }

    private ChunkStreamState StateOf(int id, int format)
    {
        if (!_streams.TryGetValue(id, out var state))
        {
            state = new ChunkStreamState(id);
            _streams.Add(id, state);
        }
        if (format != 0 && !state.HasHeader)
        {
            throw new FormatException($"chunk stream {id} starts with a format {format} header (nothing to inherit from)");
        }
        if (format != 3 && state.Received != 0)
        {
            throw new FormatException($"chunk stream {id}: a format {format} header in the middle of a {state.MessageLength}-byte message");
        }
        return state;
    }

    /// <summary>Applies a whole, validated header to its chunk stream and sets up the chunk's payload.</summary>
    private void Commit(ChunkStreamState state, int format, ReadOnlySpan<byte> header, uint timestamp, bool extended)
    {
        var startsMessage = state.Received == 0;
        switch (format)
        {
            case 0:
                // The absolute time also serves as the delta a following format 3 message adds (as ffmpeg reads it).
                state.Timestamp = timestamp;
                state.TimestampDelta = timestamp;
                state.MessageLength = (int)ReadUInt24(header[3..]);
                state.TypeId = header[6];
                state.StreamId = BinaryPrimitives.ReadUInt32LittleEndian(header[7..]);  // the one little-endian field
                state.HasHeader = true;
                break;
            case 1:
                state.TimestampDelta = timestamp;
                state.Timestamp += timestamp;
                state.MessageLength = (int)ReadUInt24(header[3..]);
                state.TypeId = header[6];
                break;
            case 2:
                state.TimestampDelta = timestamp;
                state.Timestamp += timestamp;
                break;
            default:
                if (startsMessage)
                {
                    state.Timestamp += state.TimestampDelta;
                }
                break;
        }
        if (format != 3)
        {
            state.ExtendedTimestamp = extended;
        }
        _chunkRemaining = Math.Min(ChunkSize, state.MessageLength - state.Received);
        _current = state;
    }

    private void ApplyChunkControl(in RtmpMessage message)
    {
        if (message.StreamId != 0 || message.TypeId is not (RtmpMessageType.SetChunkSize or RtmpMessageType.Abort))
        {
            return;
        }
        var span = message.Payload.Span;
        if (span.Length < 4)
        {
            throw new FormatException($"control message {message.TypeId} has {span.Length} bytes, not 4");
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(span);
        if (message.TypeId == RtmpMessageType.SetChunkSize)
        {
            // The top bit must be 0 (spec 5.4.1); 0 would never end a chunk.
            ChunkSize = value is >= 1 and <= MaxChunkSize ? (int)value
                : throw new FormatException($"Set Chunk Size {value} is out of range 1-{MaxChunkSize}");
        }
        else if (value <= int.MaxValue && _streams.TryGetValue((int)value, out var aborted))
        {
            aborted.Received = 0;  // the partial message is dropped; its next chunk starts a new one
        }
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> span) => (uint)(span[0] << 16 | span[1] << 8 | span[2]);
}
