using System.Buffers;
using System.Buffers.Binary;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// Builds outgoing RTMP messages and splits them into chunks (a format 0 header, then format 3 headers) of
/// our chunk size, which stays the default 128: a viewer sends only small commands and control messages.
/// Messages are queued in one reused buffer so a burst (e.g. createStream + Set Buffer Length) is one write.
/// </summary>
internal sealed class ChunkWriter
{
    public const int ChunkSize = 128;

    private readonly ArrayBufferWriter<byte> _payload = new(256);
    private readonly ArrayBufferWriter<byte> _wire = new(1024);

    /// <summary>The chunked bytes queued since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Pending => _wire.WrittenMemory;

    /// <summary>Messages queued since the last <see cref="Clear"/>.</summary>
    public int PendingMessages { get; private set; }

    /// <summary>Starts a message: its payload is written to the returned buffer, then <see cref="EndMessage"/>.</summary>
    public IBufferWriter<byte> BeginMessage()
    {
        _payload.ResetWrittenCount();
        return _payload;
    }

    /// <summary>Chunks the payload written since <see cref="BeginMessage"/> onto chunk stream <paramref name="chunkStreamId"/> (2-63).</summary>
    public void EndMessage(int chunkStreamId, byte typeId, uint streamId)
    {
        var payload = _payload.WrittenSpan;
        var header = _wire.GetSpan(12);
        header[0] = (byte)chunkStreamId;  // format 0
        header[1] = header[2] = header[3] = 0;  // timestamp 0: a client's commands carry none that matters
        header[4] = (byte)(payload.Length >> 16);
        header[5] = (byte)(payload.Length >> 8);
        header[6] = (byte)payload.Length;
        header[7] = typeId;
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], streamId);
        _wire.Advance(12);
        for (var offset = 0; offset < payload.Length; offset += ChunkSize)
        {
            if (offset > 0)
            {
                _wire.GetSpan(1)[0] = (byte)(0xC0 | chunkStreamId);  // format 3: same header, next chunk
                _wire.Advance(1);
            }
            _wire.Write(payload.Slice(offset, Math.Min(ChunkSize, payload.Length - offset)));
        }
        PendingMessages++;
    }

    /// <summary>A protocol control message with one 32-bit value (Acknowledgement, Window Acknowledgement Size...).</summary>
    public void Control(byte typeId, uint value)
    {
        var payload = BeginMessage();
        BinaryPrimitives.WriteUInt32BigEndian(payload.GetSpan(4), value);
        payload.Advance(4);
        EndMessage(RtmpChunkStream.Control, typeId, 0);
    }

    /// <summary>A User Control message: the event type and its first 32-bit value, plus a second one when given.</summary>
    public void UserControl(ushort eventType, uint value, uint? extra = null)
    {
        var payload = BeginMessage();
        var span = payload.GetSpan(10);
        BinaryPrimitives.WriteUInt16BigEndian(span, eventType);
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], value);
        if (extra is { } second)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[6..], second);
        }
        payload.Advance(extra.HasValue ? 10 : 6);
        EndMessage(RtmpChunkStream.Control, RtmpMessageType.UserControl, 0);
    }

    public void Clear()
    {
        _wire.ResetWrittenCount();
        PendingMessages = 0;
    }
}

/// <summary>The chunk stream ids we send on: 2 is reserved for control messages; commands and play as ffmpeg does.</summary>
internal static class RtmpChunkStream
{
    public const int Control = 2;
    public const int Command = 3;
    public const int Play = 8;
}
