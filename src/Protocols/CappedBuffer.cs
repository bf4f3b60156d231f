using System.Buffers;

namespace PerfTest.Protocols;

/// <summary>
/// The bytes of a capture, kept up to a cap while they are read: what comes beyond it is counted and dropped,
/// so a capture of an endless or huge answer never holds more than the cap.
/// </summary>
public sealed class CappedBuffer
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private int _max = int.MaxValue;

    /// <summary>How many bytes were appended, kept or not.</summary>
    public long Seen { get; private set; }

    /// <summary>How many bytes are kept.</summary>
    public int Kept => _buffer.WrittenCount;

    public ReadOnlySpan<byte> KeptSpan => _buffer.WrittenSpan;

    /// <summary>Forgets the bytes; from now on at most <paramref name="maxBytes"/> are kept.</summary>
    public void Clear(int maxBytes = int.MaxValue)
    {
        _buffer.ResetWrittenCount();
        _max = Math.Max(0, maxBytes);
        Seen = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Seen += data.Length;
        var room = _max - _buffer.WrittenCount;
        if (room > 0)
        {
            _buffer.Write(data.Length <= room ? data : data[..room]);
        }
    }

    public void Append(in ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            Append(segment.Span);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
