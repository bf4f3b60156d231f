using System.Buffers;

namespace PerfTest.Protocols.Http;

internal enum LineResult : byte
{
    Line,
    NeedMoreData,
    TooLong,
}

/// <summary>
/// Reads one CRLF-terminated line (status line, header, chunk size, trailer) as a span, without allocating.
/// A line usually sits in one pipe segment and is returned in place; one that straddles segments is copied
/// into a scratch buffer owned by the connection (SequenceReader's own span overload would allocate a new
/// array for that case).
/// </summary>
internal sealed class LineReader
{
    /// <summary>Longest accepted line; beyond it the response is malformed (Kestrel's default header limit is 8 KiB).</summary>
    public const int MaxLineLength = 16 * 1024;

    private byte[]? _scratch;

    /// <remarks>
    /// On <see cref="LineResult.Line"/> the reader is past the LF and <paramref name="line"/> excludes the
    /// CRLF. A bare LF is accepted as a terminator, as curl and browsers do. On NeedMoreData the reader is
    /// left where it was.
    /// </remarks>
    public LineResult TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> unread = reader.UnreadSpan;
        int lf = unread.IndexOf((byte)'\n');
        if (lf >= 0)
        {
            // Fast path: the whole line is in the current segment.
            if (lf > MaxLineLength)
            {
                line = default;
                return LineResult.TooLong;
            }

            line = TrimCr(unread[..lf]);
            reader.Advance(lf + 1);
            return LineResult.Line;
        }

        SequenceReader<byte> lookahead = reader;
        if (!lookahead.TryReadTo(out ReadOnlySequence<byte> straddling, (byte)'\n', advancePastDelimiter: true))
        {
            line = default;
            return reader.Remaining > MaxLineLength ? LineResult.TooLong : LineResult.NeedMoreData;
        }

        if (straddling.Length > MaxLineLength)
        {
            line = default;
            return LineResult.TooLong;
        }

        _scratch ??= new byte[MaxLineLength];
        Span<byte> copy = _scratch.AsSpan(0, (int)straddling.Length);
        straddling.CopyTo(copy);
        reader = lookahead;
        line = TrimCr(copy);
        return LineResult.Line;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;
}
