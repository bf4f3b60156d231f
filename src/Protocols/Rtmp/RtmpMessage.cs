namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// One whole RTMP message as the chunk reader reassembled it. <see cref="Payload"/> points into the chunk
/// stream's reused buffer: valid only until the next message is read from the same reader.
/// </summary>
internal readonly struct RtmpMessage(int chunkStreamId, byte typeId, uint streamId, uint timestamp, ReadOnlyMemory<byte> payload)
{
    public int ChunkStreamId { get; } = chunkStreamId;

    public byte TypeId { get; } = typeId;

    public uint StreamId { get; } = streamId;

    public uint Timestamp { get; } = timestamp;

    public ReadOnlyMemory<byte> Payload { get; } = payload;
}

/// <summary>The message type ids of the RTMP specification (sections 5.4, 6.2, 7.1).</summary>
internal static class RtmpMessageType
{
    public const byte SetChunkSize = 1;
    public const byte Abort = 2;
    public const byte Acknowledgement = 3;
    public const byte UserControl = 4;
    public const byte WindowAcknowledgementSize = 5;
    public const byte SetPeerBandwidth = 6;
    public const byte Audio = 8;
    public const byte Video = 9;
    public const byte Amf3Data = 15;
    public const byte Amf3Command = 17;
    public const byte Amf0Data = 18;
    public const byte Amf0Command = 20;
    public const byte Aggregate = 22;
}

/// <summary>User control event types (RTMP specification 7.1.7).</summary>
internal static class UserControlEvent
{
    public const ushort StreamBegin = 0;
    public const ushort StreamEof = 1;
    public const ushort StreamDry = 2;
    public const ushort SetBufferLength = 3;
    public const ushort StreamIsRecorded = 4;
    public const ushort PingRequest = 6;
    public const ushort PingResponse = 7;
}

/// <summary>
/// What the reader knows of one chunk stream: the last header's fields (formats 1-3 inherit them) and the
/// message being reassembled. Its buffer is kept and reused for the stream's next messages.
/// </summary>
internal sealed class ChunkStreamState(int id)
{
    public int Id { get; } = id;

    /// <summary>A format 0 header was seen: formats 1-3 have something to inherit.</summary>
    public bool HasHeader { get; set; }

    public uint Timestamp { get; set; }

    /// <summary>The last timestamp delta, applied again by a format 3 chunk that starts a new message.</summary>
    public uint TimestampDelta { get; set; }

    /// <summary>The last header carried an extended timestamp: its format 3 chunks carry one too.</summary>
    public bool ExtendedTimestamp { get; set; }

    public int MessageLength { get; set; }

    public byte TypeId { get; set; }

    public uint StreamId { get; set; }

    /// <summary>Payload bytes of the current message received so far (0: the next chunk starts a message).</summary>
    public int Received { get; set; }

    public byte[] Buffer { get; private set; } = [];

    /// <summary>
    /// Makes room for <paramref name="needed"/> bytes of the current message, keeping those received. It grows
    /// with what arrives, not with the length a header claims: a peer announcing 16 MB messages on many chunk
    /// streams costs memory only for the bytes it really sends.
    /// </summary>
    public void EnsureCapacity(int needed)
    {
        if (Buffer.Length >= needed)
        {
            return;
        }
        var grown = new byte[Math.Min(MessageLength, Math.Max(needed, Buffer.Length * 2))];
        Buffer.AsSpan(0, Received).CopyTo(grown);
        Buffer = grown;
    }
}
