using System.Buffers;
using System.Buffers.Binary;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// The simple (unencrypted, undigested) RTMP handshake, RTMP specification 5.2: we send C0 (version 3)
/// and C1 (our time, four zero bytes, random bytes), the server answers S0 S1 S2, we send C2 (S1 echoed).
/// The zero "version" bytes in C1 tell servers that also speak the digest handshake (nginx-rtmp, Wowza)
/// to use the simple one, so S2 must echo our C1's random bytes.
/// </summary>
internal sealed class RtmpHandshake
{
    public const byte Version = 3;
    public const int PacketSize = 1536;

    /// <summary>S0, S1 and S2: what the server's answer is.</summary>
    public const int ResponseSize = 1 + 2 * PacketSize;

    private readonly byte[] _c0c1 = new byte[1 + PacketSize];

    /// <summary>C0 and C1, with <paramref name="time"/> as C1's epoch.</summary>
    public RtmpHandshake(uint time)
    {
        _c0c1[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(_c0c1.AsSpan(1), time);
        // bytes 5-8 stay zero: the simple handshake; random bytes let us check S2 really echoes C1.
        Random.Shared.NextBytes(_c0c1.AsSpan(9));
    }

    public ReadOnlyMemory<byte> C0C1 => _c0c1;

    /// <summary>
    /// Checks S0 S1 S2 (<see cref="ResponseSize"/> bytes) and returns C2, the echo of S1;
    /// a <see cref="FormatException"/> says what is wrong with them.
    /// </summary>
    public byte[] Answer(ReadOnlySequence<byte> response)
    {
        if (response.Length < ResponseSize)
        {
            throw new FormatException($"the handshake answer has {response.Length} bytes, not {ResponseSize}");
        }
        var s0s1s2 = response.Slice(0, ResponseSize).ToArray();
        if (s0s1s2[0] != Version)
        {
            throw new FormatException($"S0 asks for RTMP version {s0s1s2[0]}, not {Version}");
        }
        // S2: C1's time, the server's time, then C1's random bytes.
        var s2 = s0s1s2.AsSpan(1 + PacketSize);
        if (!s2[8..].SequenceEqual(_c0c1.AsSpan(9)))
        {
            throw new FormatException("S2 does not echo C1's random bytes");
        }
        return s0s1s2.AsSpan(1, PacketSize).ToArray();
    }
}
