using HdrHistogram;
using HdrHistogram.Utilities;

namespace PerfTest.Metrics;

/// <summary>
/// The one histogram shape used everywhere (executors, control plane, persisted seconds):
/// 1 µs .. 1 hour, 3 significant digits. Keeping a single shape makes merging a plain
/// bucket-by-bucket addition and keeps encodings comparable.
/// </summary>
public static class LatencyHistogram
{
    public const long LowestMicros = 1;
    public const long HighestMicros = 3_600_000_000;
    public const int SignificantDigits = 3;

    /// <summary>Scratch buffer for encoding; thread-local so encoding needs no lock and the
    /// ~190 KB buffer is not re-allocated on the large object heap every second.</summary>
    [ThreadStatic]
    private static ByteBuffer? s_encodeBuffer;

    /// <summary>Latencies outside the trackable range are pinned to its ends instead of throwing on the hot path.</summary>
    public static long Clamp(long micros) => Math.Clamp(micros, LowestMicros, HighestMicros);

    /// <summary>Single-writer histogram with 64-bit counts, for merging on the control plane.</summary>
    public static LongHistogram CreateForMerging() => new(LowestMicros, HighestMicros, SignificantDigits);

    /// <summary>Multi-writer histogram for the hot path. 32-bit counts halve the footprint; one
    /// bucket cannot reach 2^31 within a one-second interval.</summary>
    internal static AtomicIntHistogram CreateForRecording() => new(LowestMicros, HighestMicros, SignificantDigits);

    /// <summary>Compressed HdrHistogram V2 encoding (interoperable with other HdrHistogram ports).
    /// An empty histogram encodes to an empty array, so idle keys cost nothing on the wire.</summary>
    public static byte[] Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        // Compressed output never exceeds the uncompressed size of the widest (64-bit) shape.
        var buffer = s_encodeBuffer ??= ByteBuffer.Allocate(CreateForMerging().GetNeededByteBufferCapacity() + 64);
        buffer.Position = 0;
        int length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);

        // ByteBuffer does not expose its array (Allocate(byte[]) copies), so read the bytes back.
        var bytes = new byte[length];
        buffer.Position = 0;
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return bytes;
    }

    /// <summary>Decodes <see cref="Encode"/> output; null for an empty array.</summary>
    public static HistogramBase? Decode(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length == 0)
        {
            return null;
        }

        return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(encoded), 0);
    }
}
