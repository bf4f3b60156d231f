using System.Buffers;

namespace PerfTest.Protocols.WebSocket;

/// <summary>One received data message (all fragments joined).</summary>
public sealed record WebSocketCapturedMessage(WebSocketMessageType Type, byte[] Payload);

/// <summary>
/// What a debug run saw of one exchange: the data messages (a message cut by the end rule is included as
/// far as it was read), the server's close frame, and the handshake status when this exchange connected.
/// Filling it allocates, which is why it is optional: load runs pass null.
/// </summary>
public sealed class WebSocketCapture
{
    private readonly CappedBuffer _current = new();
    private long _kept;
    private WebSocketMessageType _currentType;
    private bool _open;

#pragma warning disable CA1051, CA1002 // a plain data holder by design, like HttpResponseCapture
    public List<WebSocketCapturedMessage> Messages = new();

    /// <summary>The HTTP status of the opening handshake, when this exchange had to connect (else 0).</summary>
    public int HandshakeStatusCode;

    /// <summary>The server's close frame status code, when it sent one (1005 when the frame carried none).</summary>
    public int? CloseStatus;

    public string? CloseReason;

    /// <summary>At most this many payload bytes are kept over all messages, cut while reading: the rest is counted, never buffered.</summary>
    public int MaxBytes = int.MaxValue;

    /// <summary>How many payload bytes of data messages arrived, kept or not.</summary>
    public long BytesSeen;
#pragma warning restore CA1051, CA1002

    internal void Begin(WebSocketMessageType type)
    {
        _current.Clear((int)Math.Max(0, MaxBytes - _kept));
        _currentType = type;
        _open = true;
    }

    internal void Append(in ReadOnlySequence<byte> data) => _current.Append(data);

    /// <summary>Ends the message in progress (its last frame, or the end rule cut it short).</summary>
    internal void End()
    {
        if (_open)
        {
            Messages.Add(new WebSocketCapturedMessage(_currentType, _current.ToArray()));
            _kept += _current.Kept;
            BytesSeen += _current.Seen;
            _open = false;
        }
    }

    internal void SetClose(ReadOnlySpan<byte> payload)
    {
        CloseStatus = payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
        CloseReason = payload.Length > 2 ? System.Text.Encoding.UTF8.GetString(payload[2..]) : "";
    }
}
