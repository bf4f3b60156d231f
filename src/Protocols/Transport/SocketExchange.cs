using System.Globalization;
using System.Text;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// One TCP or UDP packet card, compiled once: the target, the payload bytes, the end rule and the timeouts.
/// Immutable; any number of connections may share it.
/// </summary>
public sealed class SocketExchange
{
    /// <summary>Used when the card gives no (or a non-positive) connect_timeout / return_timeout, as for HTTP.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private SocketExchange(string host, int port, byte[] payload, EndRule end, TimeSpan connectTimeout, TimeSpan returnTimeout)
    {
        Host = host;
        Port = port;
        Payload = payload;
        End = end;
        ConnectTimeout = connectTimeout;
        ReturnTimeout = returnTimeout;
    }

    public string Host { get; }

    public int Port { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public EndKind EndKind => End.Kind;

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan ReturnTimeout { get; }

    internal EndRule End { get; }

    /// <summary>
    /// From the card's fields. <paramref name="url"/>: "tcp://host:port", "udp://host:port" or "host:port"
    /// ("[::1]:9000" for IPv6). <paramref name="bodyFormat"/>: "text" (default; UTF-8) or "hex" (pairs of hex
    /// digits, whitespace ignored); it applies to <paramref name="checkEndStr"/> too. <paramref name="checkEndType"/>:
    /// 0 none (the first receive is the answer), 1 length, 2 end string. Timeouts in milliseconds; 0 = 5 s.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed url, hex text, end type or end rule.</exception>
    public static SocketExchange FromCard(string url, string? body, string? bodyFormat, int checkEndType, int checkEndLength,
        string? checkEndStr, int connectTimeoutMs, int returnTimeoutMs)
    {
        (string host, int port) = ParseUrl(url);
        bool hex = ParseFormat(bodyFormat);
        byte[] payload = Encode(body ?? "", hex, nameof(body));
        EndKind kind = checkEndType switch
        {
            0 => EndKind.FirstReceive,
            1 => EndKind.Length,
            2 => EndKind.EndString,
            _ => throw new ArgumentException($"check_end_type must be 1 (length) or 2 (end string), not {checkEndType}.", nameof(checkEndType)),
        };
        byte[]? end = kind == EndKind.EndString ? Encode(checkEndStr ?? "", hex, nameof(checkEndStr)) : null;
        return Create(host, port, payload, kind, checkEndLength, end, Milliseconds(connectTimeoutMs), Milliseconds(returnTimeoutMs));
    }

    public static SocketExchange Create(string host, int port, byte[] payload, EndKind endKind, int endLength, byte[]? endString,
        TimeSpan connectTimeout, TimeSpan returnTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(payload);
        EndRule end = endKind switch
        {
            EndKind.Length => EndRule.ForLength(endLength),
            EndKind.EndString => EndRule.ForEndString(endString ?? []),
            _ => EndRule.FirstReceive,
        };
        return new SocketExchange(host, port, payload, end, OrDefault(connectTimeout), OrDefault(returnTimeout));
    }

    internal static (string Host, int Port) ParseUrl(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        string rest = url.Trim();
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            string name = rest[..scheme];
            if (!name.Equals("tcp", StringComparison.OrdinalIgnoreCase) && !name.Equals("udp", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{url}': the scheme must be tcp:// or udp://.", nameof(url));
            }

            rest = rest[(scheme + 3)..];
        }

        rest = rest.TrimEnd('/');
        // IPv6 literals come in brackets, so the port is after the last colon either way.
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{url}' is not host:port with a port in 1-65535.", nameof(url));
        }

        string host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{url}' has no host or has a path.", nameof(url));
        }

        return (host, port);
    }

    private static bool ParseFormat(string? format) => format switch
    {
        null or "" => false,
        _ when format.Equals("text", StringComparison.OrdinalIgnoreCase) => false,
        _ when format.Equals("hex", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw new ArgumentException($"body_format must be \"text\" or \"hex\", not \"{format}\".", nameof(format)),
    };

    private static byte[] Encode(string value, bool hex, string field)
    {
        if (!hex)
        {
            return Encoding.UTF8.GetBytes(value);
        }

        var digits = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                digits.Append(c);
            }
        }

        try
        {
            return Convert.FromHexString(digits.ToString());
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{field} is not hex (pairs of 0-9a-fA-F, whitespace ignored).", field, e);
        }
    }

    private static TimeSpan Milliseconds(int ms) => ms > 0 ? TimeSpan.FromMilliseconds(ms) : DefaultTimeout;

    private static TimeSpan OrDefault(TimeSpan timeout) => timeout > TimeSpan.Zero ? timeout : DefaultTimeout;
}
