using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace PerfTest.Protocols.WebSocket;

/// <summary>RFC 6455 frame opcodes (section 5.2).</summary>
internal enum Opcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>
/// Encodes client frames (always masked, RFC 6455 5.3) straight into a pipe's buffer: the payload is
/// XOR-copied once, in chunks of whatever the writer offers, so a large message needs no buffer of its size.
/// </summary>
internal static class FrameWriter
{
    public const int MaxHeaderLength = 14;

    /// <summary>Writes one final (FIN) frame; returns the bytes written (header + payload).</summary>
    /// <param name="writer">Where the frame goes (a pipe's writer).</param>
    /// <param name="opcode">The frame's opcode.</param>
    /// <param name="payload">The unmasked payload; it is masked as it is copied.</param>
    /// <param name="mask">The masking key as four wire bytes read little-endian.</param>
    public static long Write(IBufferWriter<byte> writer, Opcode opcode, ReadOnlySpan<byte> payload, uint mask)
    {
        Span<byte> head = writer.GetSpan(MaxHeaderLength);
        int headLength = WriteHeader(head, opcode, payload.Length, mask);
        writer.Advance(headLength);

        int offset = 0;
        while (offset < payload.Length)
        {
            Span<byte> target = writer.GetSpan(1);
            int chunk = Math.Min(target.Length, payload.Length - offset);
            MaskCopy(payload.Slice(offset, chunk), target, mask, offset);
            writer.Advance(chunk);
            offset += chunk;
        }

        return headLength + payload.Length;
    }

    public static int WriteHeader(Span<byte> head, Opcode opcode, long payloadLength, uint mask)
    {
        head[0] = (byte)(0x80 | (byte)opcode);
        int length;
        if (payloadLength <= 125)
        {
            head[1] = (byte)(0x80 | payloadLength);
            length = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            head[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)payloadLength);
            length = 4;
        }
        else
        {
            head[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(head[2..], (ulong)payloadLength);
            length = 10;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(head[length..], mask);
        return length + 4;
    }

    /// <summary>
    /// destination[i] = source[i] ^ key[(offset + i) % 4], eight bytes at a time: the key is rotated so that
    /// its first byte lines up with <paramref name="offset"/>, then doubled into a 64-bit word.
    /// </summary>
    public static void MaskCopy(ReadOnlySpan<byte> source, Span<byte> destination, uint mask, int offset)
    {
        uint rotated = BitOperations.RotateRight(mask, 8 * (offset & 3));
        ulong wide = rotated | ((ulong)rotated << 32);
        int i = 0;
        for (; i + 8 <= source.Length; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], BinaryPrimitives.ReadUInt64LittleEndian(source[i..]) ^ wide);
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ (byte)(rotated >> (8 * (i & 3))));
        }
    }
}

/// <summary>
/// Masking keys from xorshift32, seeded once per connection. RFC 6455 asks for unpredictable keys so that a
/// hostile page cannot steer bytes through an intermediary cache; a load generator sends its own cards, so a
/// cheap generator that allocates nothing and takes no lock is the right trade.
/// </summary>
internal struct MaskGenerator
{
    private uint _state;

    public MaskGenerator(uint seed) => _state = seed == 0 ? 0x9E3779B9u : seed;

    public uint Next()
    {
        uint x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return x;
    }
}
