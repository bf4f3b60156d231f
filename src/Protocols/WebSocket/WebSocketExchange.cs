using System.Text;

namespace PerfTest.Protocols.WebSocket;

/// <summary>The data frame type of the message a card sends ("message_type").</summary>
public enum WebSocketMessageType : byte
{
    /// <summary>Opcode 0x1: the card's "bodys" sent as UTF-8.</summary>
    Text = 1,

    /// <summary>Opcode 0x2: the card's "bodys" is base64 and decoded to the bytes sent.</summary>
    Binary = 2,
}

/// <summary>
/// One message of a card and the rule that says when its answer is complete. Built once per card (it
/// allocates: payload bytes, the end string's match table); immutable, so any number of connections share it.
/// </summary>
public sealed class WebSocketExchange
{
    private readonly byte[] _payload;
    private readonly byte[]? _endString;
    private readonly int[]? _endStringFailure;

    private WebSocketExchange(WebSocketMessageType type, byte[] payload, long endLength, byte[]? endString)
    {
        MessageType = type;
        _payload = payload;
        EndLength = endLength;
        _endString = endString;
        _endStringFailure = endString is null ? null : FailureTable(endString);
    }

    /// <summary>For reading until the server's close frame: no data ever completes it.</summary>
    internal static WebSocketExchange Drain { get; } = new(WebSocketMessageType.Binary, [], long.MaxValue, null);

    public WebSocketMessageType MessageType { get; }

    /// <summary>Receive until this many payload bytes arrived (0: no length rule).</summary>
    public long EndLength { get; }

    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>Receive until this byte string arrived (null: no string rule).</summary>
    public ReadOnlyMemory<byte>? EndString => _endString;

    /// <summary>No end rule: the answer is one whole message (all its fragments).</summary>
    internal bool EndsWithMessage => EndLength == 0 && _endString is null;

    internal byte[]? EndStringBytes => _endString;

    /// <summary>Knuth-Morris-Pratt failure table, so the end string is found one byte at a time across frames and reads.</summary>
    internal int[]? EndStringFailure => _endStringFailure;

    /// <summary>A message with an explicit end rule (at most one of <paramref name="endLength"/> and <paramref name="endString"/>).</summary>
    public static WebSocketExchange Create(WebSocketMessageType type, ReadOnlyMemory<byte> payload, long endLength = 0, ReadOnlyMemory<byte> endString = default)
    {
        if (type is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(endLength);
        if (endLength > 0 && !endString.IsEmpty)
        {
            throw new ArgumentException("Give an end length or an end string, not both.", nameof(endString));
        }

        return new WebSocketExchange(type, payload.ToArray(), endLength, endString.IsEmpty ? null : endString.ToArray());
    }

    /// <summary>
    /// From a card's fields: <c>message_type</c> ("text", the default, or "binary"), <c>bodys</c> (UTF-8 text, or
    /// base64 for binary), <c>check_end_type</c> (0/absent: one whole message; 1: <c>check_end_length</c> bytes;
    /// 2: <c>check_end_str</c>, UTF-8).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown message type or end type, bad base64, a missing end value.</exception>
    public static WebSocketExchange FromCard(string? messageType, string? body, int checkEndType, long checkEndLength, string? checkEndString)
    {
        WebSocketMessageType type = messageType?.ToUpperInvariant() switch
        {
            null or "" or "TEXT" => WebSocketMessageType.Text,
            "BINARY" => WebSocketMessageType.Binary,
            _ => throw new ArgumentException($"message_type '{messageType}' is neither 'text' nor 'binary'.", nameof(messageType)),
        };
        byte[] payload;
        try
        {
            payload = type == WebSocketMessageType.Text ? Encoding.UTF8.GetBytes(body ?? "") : Convert.FromBase64String(body ?? "");
        }
        catch (FormatException error)
        {
            throw new ArgumentException("A binary message's bodys must be base64.", nameof(body), error);
        }

        return checkEndType switch
        {
            0 => Create(type, payload),
            1 when checkEndLength > 0 => Create(type, payload, endLength: checkEndLength),
            2 when !string.IsNullOrEmpty(checkEndString) => Create(type, payload, endString: Encoding.UTF8.GetBytes(checkEndString)),
            _ => throw new ArgumentException($"check_end_type {checkEndType} needs a positive check_end_length (1) or a check_end_str (2).", nameof(checkEndType)),
        };
    }

    private static int[] FailureTable(byte[] pattern)
    {
        var failure = new int[pattern.Length];
        for (int i = 1, k = 0; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k])
            {
                k = failure[k - 1];
            }

            if (pattern[i] == pattern[k])
            {
                k++;
            }

            failure[i] = k;
        }

        return failure;
    }
}
