using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace PerfTest.Metrics;

/// <summary>
/// HdrHistogram's compressed V2 encoding, read and written for <see cref="MergingHistogram"/>: a big-endian cookie and
/// length, then zlib (RFC 1950) of a 40-byte header and the counts as ZigZag LEB128 longs, a negative one standing for
/// that many empty buckets. Byte-compatible with HdrHistogram's own encoder and decoder (tests check both ways).
/// </summary>
internal static class HistogramCodec
{
    private const int CompressedCookie = 0x1c849304 | 0x10;
    private const int Cookie = 0x1c849303 | 0x10;
    private const int HeaderSize = 40;
    private const int MaxVarintBytes = 9;

    /// <summary>
    /// Adds the counts of <paramref name="encoded"/> to <paramref name="target"/> when it has the target's shape;
    /// false (nothing added) when it has another, for the caller to read it the slow way.
    /// </summary>
    public static bool TryAddCounts(ReadOnlySpan<byte> encoded, MergingHistogram target)
    {
        if (encoded.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(encoded) != CompressedCookie)
        {
            throw new FormatException("not a compressed HdrHistogram V2 encoding");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(encoded[4..]);
        if (length < 0 || length > encoded.Length - 8)
        {
            throw new FormatException("a compressed HdrHistogram encoding shorter than its length says");
        }
        var plain = Inflate(encoded.Slice(8, length), out var plainLength);
        try
        {
            var bytes = plain.AsSpan(0, plainLength);
            if (!SameShape(bytes, target))
            {
                return false;
            }
            var payloadLength = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
            AddPayload(bytes.Slice(HeaderSize, Math.Min(payloadLength, bytes.Length - HeaderSize)), target);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    /// <summary>The compressed V2 encoding of <paramref name="source"/>'s counts up to its last non-zero one.</summary>
    public static byte[] Encode(MergingHistogram source)
    {
        var counts = source.Counts[..(source.LastUsedIndex + 1)];
        var plain = ArrayPool<byte>.Shared.Rent(HeaderSize + counts.Length * MaxVarintBytes);
        try
        {
            var payloadLength = WritePayload(counts, plain.AsSpan(HeaderSize));
            WriteHeader(plain, source, payloadLength);
            using var output = new MemoryStream(64 + (HeaderSize + payloadLength) / 2);
            output.Write(stackalloc byte[8]);
            using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(plain, 0, HeaderSize + payloadLength);
            }
            var encoded = output.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(encoded, CompressedCookie);
            BinaryPrimitives.WriteInt32BigEndian(encoded.AsSpan(4), encoded.Length - 8);
            return encoded;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> compressed, out int length)
    {
        var input = ArrayPool<byte>.Shared.Rent(compressed.Length);
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(1024, compressed.Length * 8));
        compressed.CopyTo(input);
        length = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(input, 0, compressed.Length), CompressionMode.Decompress);
            int read;
            while ((read = zlib.Read(output, length, output.Length - length)) > 0)
            {
                length += read;
                if (length == output.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(output.Length * 2);
                    output.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = larger;
                }
            }
            return output;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private static bool SameShape(ReadOnlySpan<byte> header, MergingHistogram target) =>
        header.Length >= HeaderSize
        && BinaryPrimitives.ReadInt32BigEndian(header) == Cookie
        && BinaryPrimitives.ReadInt32BigEndian(header[8..]) == 0
        && BinaryPrimitives.ReadInt32BigEndian(header[12..]) == target.NumberOfSignificantValueDigits
        && BinaryPrimitives.ReadInt64BigEndian(header[16..]) == target.LowestTrackableValue
        && BinaryPrimitives.ReadInt64BigEndian(header[24..]) == target.HighestTrackableValue;

    private static void WriteHeader(Span<byte> header, MergingHistogram source, int payloadLength)
    {
        BinaryPrimitives.WriteInt32BigEndian(header, Cookie);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], payloadLength);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 0);  // normalizing index offset
        BinaryPrimitives.WriteInt32BigEndian(header[12..], source.NumberOfSignificantValueDigits);
        BinaryPrimitives.WriteInt64BigEndian(header[16..], source.LowestTrackableValue);
        BinaryPrimitives.WriteInt64BigEndian(header[24..], source.HighestTrackableValue);
        BinaryPrimitives.WriteDoubleBigEndian(header[32..], 1.0);  // integer to double conversion ratio
    }

    private static void AddPayload(ReadOnlySpan<byte> payload, MergingHistogram target)
    {
        var index = 0;
        var limit = target.Counts.Length;
        var position = 0;
        while (position < payload.Length)
        {
            var value = ReadZigZag(payload, ref position);
            if (value < 0)
            {
                index += checked((int)-value);
                continue;
            }
            if (index >= limit)
            {
                throw new FormatException("a histogram encoding with counts beyond its shape");
            }
            if (value != 0)
            {
                target.AddAtIndex(index, value);
            }
            index++;
        }
    }

    private static int WritePayload(ReadOnlySpan<long> counts, Span<byte> payload)
    {
        var position = 0;
        var index = 0;
        while (index < counts.Length)
        {
            var count = counts[index++];
            if (count != 0)
            {
                WriteZigZag(count, payload, ref position);
                continue;
            }
            long zeros = 1;
            while (index < counts.Length && counts[index] == 0)
            {
                zeros++;
                index++;
            }
            // A single empty bucket is written as a 0 count, a run of them as its negated length.
            WriteZigZag(zeros > 1 ? -zeros : 0, payload, ref position);
        }
        return position;
    }

    private static long ReadZigZag(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong raw = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException("a histogram encoding cut inside a count");
            }
            ulong b = bytes[position++];
            if (shift == 56)
            {
                raw |= b << 56;  // the 9th byte carries 8 bits
                break;
            }
            raw |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    private static void WriteZigZag(long value, Span<byte> bytes, ref int position)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        for (var i = 0; i < 8; i++)
        {
            if (raw >> 7 == 0)
            {
                bytes[position++] = (byte)raw;
                return;
            }
            bytes[position++] = (byte)((raw & 0x7F) | 0x80);
            raw >>= 7;
        }
        bytes[position++] = (byte)raw;
    }
}
