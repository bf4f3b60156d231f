using System.Buffers;
using System.Globalization;
using System.Text;

namespace PerfTest.Protocols.Http;

/// <summary>
/// Builds a template's wire bytes. Runs once per card, so it favours clarity over speed; the hot path
/// only copies the result (<see cref="RequestWriter"/>).
/// </summary>
internal static class RequestEncoder
{
    public static byte[] Encode(string method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, out bool requestsClose)
    {
        if (!IsToken(method))
        {
            throw new ArgumentException($"'{method}' is not a valid HTTP method.", nameof(method));
        }

        bool hasHost = false;
        bool hasConnection = false;
        requestsClose = false;
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (!IsToken(header.Key))
            {
                throw new ArgumentException($"'{header.Key}' is not a valid header name.", nameof(headers));
            }

            // CR or LF in a value would let a card inject headers or a second request.
            if (header.Value is null || header.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new ArgumentException($"The value of header '{header.Key}' contains CR, LF or NUL.", nameof(headers));
            }

            if (Is(header.Key, "Transfer-Encoding"))
            {
                throw new ArgumentException("Transfer-Encoding is not supported on requests; the body is sent with a Content-Length.", nameof(headers));
            }

            hasHost |= Is(header.Key, "Host");
            if (Is(header.Key, "Connection"))
            {
                hasConnection = true;
                requestsClose |= HasToken(header.Value, "close");
            }
        }

        var buffer = new ArrayBufferWriter<byte>(256 + body.Length);
        // Uri.PathAndQuery is already percent-encoded ASCII and never empty ("/" at least); the fragment
        // is not part of a request target.
        Ascii(buffer, method);
        Ascii(buffer, " ");
        Ascii(buffer, url.PathAndQuery);
        Ascii(buffer, " HTTP/1.1\r\n");
        if (!hasHost)
        {
            // Uri.Host keeps the brackets of an IPv6 literal, as the Host header needs them.
            string host = url.HostNameType == UriHostNameType.IPv6 ? url.Host : url.IdnHost;
            Header(buffer, "Host", url.IsDefaultPort ? host : host + ":" + url.Port.ToString(CultureInfo.InvariantCulture));
        }

        foreach (KeyValuePair<string, string> header in headers)
        {
            if (!Is(header.Key, "Content-Length"))
            {
                Header(buffer, header.Key, header.Value);
            }
        }

        if (!body.IsEmpty || method is "POST" or "PUT" or "PATCH")
        {
            Header(buffer, "Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        }

        if (!hasConnection)
        {
            Header(buffer, "Connection", "keep-alive");
        }

        Ascii(buffer, "\r\n");
        buffer.Write(body);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Header(ArrayBufferWriter<byte> buffer, string name, string value)
    {
        Ascii(buffer, name);
        Ascii(buffer, ": ");
        // Values are sent as UTF-8: servers treat them as opaque octets, and it is what a card author typed.
        buffer.Write(Encoding.UTF8.GetBytes(value.Trim()));
        Ascii(buffer, "\r\n");
    }

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text) => buffer.Write(Encoding.ASCII.GetBytes(text));

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static bool HasToken(string list, string token)
    {
        foreach (string part in list.Split(','))
        {
            if (Is(part.Trim(), token))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 9110 5.6.2 tchar.
    private static bool IsToken(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (char c in value)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
