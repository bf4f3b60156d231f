using System.Buffers.Text;
using System.Text;

namespace PerfTest.Protocols.Http;

/// <summary>
/// The parts of a response head that decide framing and connection reuse: status code, version,
/// Content-Length, Transfer-Encoding and Connection. Everything else is skipped (or copied into a capture).
/// A mutable struct kept in the parser so it costs nothing per response.
/// </summary>
internal struct ResponseHead
{
    public int StatusCode;
    public bool IsHttp10;
    public long ContentLength;        // -1 when absent
    public bool HasTransferEncoding;
    public bool IsChunked;            // the last transfer coding is "chunked"
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;  // matters for HTTP/1.0, which closes by default

    public void Reset()
    {
        this = default;
        ContentLength = -1;
    }

    /// <summary>"HTTP/1.x SP 3DIGIT [SP reason]" (RFC 9112 4). The reason phrase is ignored.</summary>
    public bool TryParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !IsDigit(line[7]) || line[8] != (byte)' ')
        {
            return false;
        }

        if (!IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        int code = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (code < 100)
        {
            return false;
        }

        StatusCode = code;
        IsHttp10 = line[7] == (byte)'0';
        return true;
    }

    /// <summary>Splits "name: value" and records the framing headers. False when the line is malformed.</summary>
    public bool TryParseHeader(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (!TrySplit(line, out name, out value))
        {
            return false;
        }

        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            // Digits only; a repeated header must repeat the same value (RFC 9112 6.3 item 5).
            if (!Utf8Parser.TryParse(value, out long length, out int used) || used != value.Length || length < 0 || !IsDigit(value[0]))
            {
                return false;
            }

            if (ContentLength >= 0 && ContentLength != length)
            {
                return false;
            }

            ContentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            HasTransferEncoding = true;
            IsChunked = Ascii.EqualsIgnoreCase(LastToken(value), "chunked"u8);
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            ScanConnectionTokens(value);
        }

        return true;
    }

    /// <summary>"name: value" with optional whitespace around the value; no whitespace in the name (RFC 9112 5.1).</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            // Also rejects obsolete line folding (a line starting with whitespace).
            name = default;
            value = default;
            return false;
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    private void ScanConnectionTokens(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> token = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            ConnectionClose |= Ascii.EqualsIgnoreCase(token, "close"u8);
            ConnectionKeepAlive |= Ascii.EqualsIgnoreCase(token, "keep-alive"u8);
            value = comma < 0 ? default : value[(comma + 1)..];
        }
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
    {
        int comma = value.LastIndexOf((byte)',');
        ReadOnlySpan<byte> last = comma < 0 ? value : value[(comma + 1)..];
        return last.Trim(" \t"u8);
    }

    private static bool IsDigit(byte b) => b - (uint)'0' <= 9;
}
