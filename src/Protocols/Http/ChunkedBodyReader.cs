using System.Buffers;

namespace PerfTest.Protocols.Http;

/// <summary>
/// Decodes a chunked body (RFC 9112 7.1) incrementally: chunk-size line with optional extensions, data,
/// CRLF, ..., last chunk "0", trailer fields, empty line. Data is skipped (only counted by the caller)
/// unless a sink (a capture's, or a streaming consumer's) is given. Resumable at any byte boundary.
/// </summary>
internal sealed class ChunkedBodyReader
{
    // 15 hex digits is 2^60 bytes: more than any real body, and the value cannot overflow a long.
    private const int MaxSizeDigits = 15;
    private const int MaxTrailerBytes = 64 * 1024;

    private enum State : byte
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    private State _state;
    private long _remaining;
    private long _trailerBytes;

    public void Reset()
    {
        _state = State.Size;
        _remaining = 0;
        _trailerBytes = 0;
    }

    public ParseStatus Read(ref SequenceReader<byte> reader, LineReader lines, IBodySink? sink, HttpResponseCapture? capture)
    {
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryLine(ref reader, lines, out ReadOnlySpan<byte> sizeLine, out ParseStatus pending))
                    {
                        return pending;
                    }

                    if (!TryParseSize(sizeLine, out _remaining))
                    {
                        return ParseStatus.Error;
                    }

                    _state = _remaining == 0 ? State.Trailers : State.Data;
                    break;

                case State.Data:
                    if (reader.End)
                    {
                        return ParseStatus.NeedMoreData;
                    }

                    long take = Math.Min(_remaining, reader.Remaining);
                    sink?.Append(reader.UnreadSequence.Slice(0, take));
                    reader.Advance(take);
                    _remaining -= take;
                    if (_remaining > 0)
                    {
                        return ParseStatus.NeedMoreData;
                    }

                    _state = State.DataEnd;
                    break;

                case State.DataEnd:
                    // The CRLF after the data; anything else means the size lied.
                    if (!TryLine(ref reader, lines, out ReadOnlySpan<byte> crlf, out pending))
                    {
                        return pending;
                    }

                    if (!crlf.IsEmpty)
                    {
                        return ParseStatus.Error;
                    }

                    _state = State.Size;
                    break;

                case State.Trailers:
                    long before = reader.Consumed;
                    if (!TryLine(ref reader, lines, out ReadOnlySpan<byte> line, out pending))
                    {
                        return pending;
                    }

                    if (line.IsEmpty)
                    {
                        _state = State.Done;
                        return ParseStatus.Done;
                    }

                    _trailerBytes += reader.Consumed - before;
                    if (_trailerBytes > MaxTrailerBytes || !ResponseHead.TrySplit(line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value))
                    {
                        return ParseStatus.Error;
                    }

                    // Trailers do not affect framing; a capture lists them after the header fields.
                    capture?.AddHeader(name, value);
                    break;

                default:
                    return ParseStatus.Done;
            }
        }
    }

    private static bool TryLine(ref SequenceReader<byte> reader, LineReader lines, out ReadOnlySpan<byte> line, out ParseStatus pending)
    {
        LineResult result = lines.TryReadLine(ref reader, out line);
        pending = result == LineResult.NeedMoreData ? ParseStatus.NeedMoreData : ParseStatus.Error;
        return result == LineResult.Line;
    }

    /// <summary>1*HEXDIG, then optional whitespace and ";ext" parameters, which are ignored (RFC 9112 7.1.1).</summary>
    private static bool TryParseSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        int i = 0;
        for (; i < line.Length; i++)
        {
            int digit = HexValue(line[i]);
            if (digit < 0)
            {
                break;
            }

            if (i == MaxSizeDigits)
            {
                return false;
            }

            size = (size << 4) | (uint)digit;
        }

        if (i == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[i..].TrimStart(" \t"u8);
        return rest.IsEmpty || rest[0] == (byte)';';
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
