using System.Buffers;

namespace PerfTest.Protocols.Http;

/// <summary>
/// What the HTTP client has read from its connection and not parsed yet: one array per connection, read into
/// directly from the socket and parsed in place (no pipe, no segments). Bytes past the end of a response stay for
/// the next one. A line longer than the free space moves the unparsed bytes to the front, and grows the array
/// only when they fill it; the parser refuses a line over <see cref="LineReader.MaxLineLength"/>, so it never
/// grows past twice that.
/// </summary>
internal sealed class ResponseBuffer
{
    // A typical response head plus a small body fits in one read.
    private const int InitialSize = 16 * 1024;

    private byte[] _array = new byte[InitialSize];
    private int _start;
    private int _end;

    /// <summary>Unparsed bytes are waiting.</summary>
    public bool HasData => _end > _start;

    /// <summary>The unparsed bytes, as the parser takes them (one segment: this allocates nothing).</summary>
    public ReadOnlySequence<byte> Data => new(_array, _start, _end - _start);

    /// <summary>Unparsed bytes (counted as received when a response fails).</summary>
    public int Length => _end - _start;

    /// <summary>Where the next read goes: the free space after the unparsed bytes, made room for when there is none.</summary>
    public Memory<byte> Free()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _array.Length)
        {
            MakeRoom();
        }

        return _array.AsMemory(_end);
    }

    /// <summary>A read put <paramref name="count"/> bytes into <see cref="Free"/>.</summary>
    public void Commit(int count) => _end += count;

    /// <summary>The parser used the bytes up to <paramref name="consumed"/>, a position in the last <see cref="Data"/>.</summary>
    public void Consume(in ReadOnlySequence<byte> data, SequencePosition consumed) => _start += (int)data.Slice(0, consumed).Length;

    /// <summary>Forgets everything (the connection is gone).</summary>
    public void Clear() => _start = _end = 0;

    private void MakeRoom()
    {
        int length = _end - _start;
        if (_start == 0)
        {
            // Full of one unfinished line: grow (bounded, see above).
            Array.Resize(ref _array, _array.Length * 2);
            return;
        }

        Buffer.BlockCopy(_array, _start, _array, 0, length);
        _start = 0;
        _end = length;
    }
}
