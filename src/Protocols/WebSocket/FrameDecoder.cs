using System.Buffers;
using System.Buffers.Binary;

namespace PerfTest.Protocols.WebSocket;

/// <summary>What <see cref="FrameDecoder.Decode"/> stopped at.</summary>
internal enum DecodeStatus : byte
{
    /// <summary>Everything given was used; read more.</summary>
    NeedMore,

    /// <summary>The end rule holds at a frame boundary: the answer is complete.</summary>
    Done,

    /// <summary>A ping arrived; answer it with <see cref="FrameDecoder.ControlPayload"/> and decode on.</summary>
    Ping,

    /// <summary>The server sent a close frame (payload in <see cref="FrameDecoder.ControlPayload"/>).</summary>
    Close,

    /// <summary>Not a valid server frame (reserved bits, unknown opcode, masked, bad fragmentation, oversized control frame).</summary>
    Error,
}

/// <summary>
/// Decodes server frames (RFC 6455 5.2) from a pipe's buffer as they arrive, split anywhere, and checks the
/// exchange's end rule on the payload bytes without copying them. Kept per connection: a message the end
/// rule cut in the middle goes on in the next exchange.
/// </summary>
internal sealed class FrameDecoder
{
    private readonly byte[] _control = new byte[125];
    private long _remaining;          // payload bytes left in the current data frame
    private bool _inFrame;
    private bool _finalFrame;
    private bool _inMessage;          // a fragmented data message awaits continuation frames

    // The exchange: end rule and progress.
    private WebSocketExchange? _exchange;
    private WebSocketCapture? _capture;
    private long _payloadReceived;
    private int _matched;             // bytes of the end string matched so far
    private bool _ruleHolds;
    private int _controlLength;

    public ReadOnlySpan<byte> ControlPayload => _control.AsSpan(0, _controlLength);

    /// <summary>Payload bytes of data frames this exchange.</summary>
    public long PayloadReceived => _payloadReceived;

    public void Reset(WebSocketExchange exchange, WebSocketCapture? capture)
    {
        _exchange = exchange;
        _capture = capture;
        _payloadReceived = 0;
        _matched = 0;
        _ruleHolds = false;
    }

    /// <summary>A new connection starts with no frame in progress.</summary>
    public void ResetConnection()
    {
        _inFrame = false;
        _inMessage = false;
        _remaining = 0;
    }

    /// <param name="buffer">What the connection has read and not consumed yet.</param>
    /// <param name="consumed">Where decoding stopped; everything before it is used.</param>
    public DecodeStatus Decode(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        DecodeStatus status = DecodeFrames(ref reader);
        consumed = reader.Position;
        return status;
    }

    private DecodeStatus DecodeFrames(ref SequenceReader<byte> reader)
    {
        while (true)
        {
            if (!_inFrame)
            {
                DecodeStatus header = ReadHeader(ref reader);
                if (header != DecodeStatus.Done)
                {
                    return header;
                }

                continue;
            }

            long chunk = Math.Min(_remaining, reader.Remaining);
            if (chunk > 0 || _remaining == 0)
            {
                OnPayload(reader.UnreadSequence.Slice(0, chunk));
                reader.Advance(chunk);
                _remaining -= chunk;
            }

            if (_remaining > 0)
            {
                return DecodeStatus.NeedMore;
            }

            _inFrame = false;
            if (_finalFrame)
            {
                _inMessage = false;
                _capture?.End();
                _ruleHolds |= _exchange!.EndsWithMessage;
            }

            if (_ruleHolds)
            {
                _capture?.End();
                return DecodeStatus.Done;
            }
        }
    }

    /// <returns>Done when a data frame's header (its payload follows) or a pong was read; otherwise what to report.</returns>
    private DecodeStatus ReadHeader(ref SequenceReader<byte> reader)
    {
        Span<byte> head = stackalloc byte[FrameWriter.MaxHeaderLength];
        int available = (int)Math.Min(reader.Remaining, head.Length);
        if (available < 2 || !reader.TryCopyTo(head[..available]))
        {
            return DecodeStatus.NeedMore;
        }

        bool fin = (head[0] & 0x80) != 0;
        var opcode = (Opcode)(head[0] & 0x0F);
        int length7 = head[1] & 0x7F;
        int headerLength = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        // No extension was negotiated, so RSV1-3 must be 0; a server never masks (RFC 6455 5.1).
        if ((head[0] & 0x70) != 0 || (head[1] & 0x80) != 0)
        {
            return DecodeStatus.Error;
        }

        if (available < headerLength)
        {
            return DecodeStatus.NeedMore;
        }

        long length = length7 == 126 ? BinaryPrimitives.ReadUInt16BigEndian(head[2..])
            : length7 == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(head[2..]) : length7;
        if (length < 0)
        {
            return DecodeStatus.Error;  // the most significant bit must be 0
        }

        if (opcode is Opcode.Close or Opcode.Ping or Opcode.Pong)
        {
            return ReadControl(ref reader, fin, opcode, headerLength, length);
        }

        if (!StartDataFrame(opcode))
        {
            return DecodeStatus.Error;
        }

        reader.Advance(headerLength);
        _inFrame = true;
        _finalFrame = fin;
        _remaining = length;
        return DecodeStatus.Done;
    }

    private bool StartDataFrame(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.Continuation:
                return _inMessage;
            case Opcode.Text or Opcode.Binary when !_inMessage:
                _inMessage = true;
                _capture?.Begin((WebSocketMessageType)opcode);
                return true;
            default:
                return false;  // a new message inside a fragmented one, or a reserved opcode
        }
    }

    /// <summary>Control frames are short (at most 125 bytes, never fragmented) and are taken whole.</summary>
    private DecodeStatus ReadControl(ref SequenceReader<byte> reader, bool fin, Opcode opcode, int headerLength, long length)
    {
        if (!fin || length > _control.Length)
        {
            return DecodeStatus.Error;
        }

        if (reader.Remaining < headerLength + length)
        {
            return DecodeStatus.NeedMore;
        }

        reader.Advance(headerLength);
        _controlLength = (int)length;
        reader.TryCopyTo(_control.AsSpan(0, _controlLength));
        reader.Advance(length);
        return opcode switch
        {
            Opcode.Ping => DecodeStatus.Ping,
            Opcode.Close => DecodeStatus.Close,
            _ => DecodeStatus.Done,  // an unsolicited pong: ignored (the caller decodes on)
        };
    }

    private void OnPayload(in ReadOnlySequence<byte> payload)
    {
        _payloadReceived += payload.Length;
        _capture?.Append(payload);
        WebSocketExchange exchange = _exchange!;
        if (exchange.EndLength > 0)
        {
            _ruleHolds |= _payloadReceived >= exchange.EndLength;
        }
        else if (!_ruleHolds && exchange.EndStringBytes is byte[] pattern)
        {
            foreach (ReadOnlyMemory<byte> segment in payload)
            {
                if (Match(segment.Span, pattern, exchange.EndStringFailure!))
                {
                    _ruleHolds = true;
                    return;
                }
            }
        }
    }

    /// <summary>Knuth-Morris-Pratt, one byte at a time, so a match split across frames or reads is found.</summary>
    private bool Match(ReadOnlySpan<byte> data, byte[] pattern, int[] failure)
    {
        int k = _matched;
        foreach (byte b in data)
        {
            while (k > 0 && pattern[k] != b)
            {
                k = failure[k - 1];
            }

            if (pattern[k] == b && ++k == pattern.Length)
            {
                _matched = 0;
                return true;
            }
        }

        _matched = k;
        return false;
    }
}
