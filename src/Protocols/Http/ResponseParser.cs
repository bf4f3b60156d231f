using System.Buffers;

namespace PerfTest.Protocols.Http;

/// <summary>How a response body is delimited (RFC 9112 6.3).</summary>
internal enum BodyFraming : byte
{
    /// <summary>No body (HEAD, 1xx, 204, 304, Content-Length: 0) or the body is done.</summary>
    None,
    ContentLength,
    Chunked,
    UntilClose,
}

/// <summary>
/// Incremental HTTP/1.x response parser over pipe buffers (the Kestrel model, client side): it consumes
/// exactly one response, byte-accurately, and can stop and resume at any byte boundary. Bodies are skipped
/// unless a capture is attached. One instance per connection, reset per request; allocation-free.
/// </summary>
internal sealed class ResponseParser
{
    private const int MaxHeaderBytes = 64 * 1024;

    private enum State : byte
    {
        StatusLine,
        Headers,
        FixedBody,
        ChunkedBody,
        BodyUntilClose,
        Done,
    }

    private readonly LineReader _lines = new();
    private readonly ChunkedBodyReader _chunked = new();
    private ResponseHead _head;
    private State _state;
    private bool _isHeadRequest;
    private long _remaining;
    private long _headerBytes;
    private HttpResponseCapture? _capture;
    private BodySink? _sink;

    public int StatusCode => _head.StatusCode;

    /// <summary>Bytes of this response consumed so far (interim 1xx responses included): the wire size.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>Whether the connection may carry another request once this response is done.</summary>
    public bool KeepAlive =>
        _state == State.Done
        && !_head.ConnectionClose
        && (!_head.IsHttp10 || _head.ConnectionKeepAlive)
        && _head.StatusCode != 101                                   // the connection now speaks another protocol
        && !(_head.HasTransferEncoding && _head.ContentLength >= 0); // ambiguous framing: RFC 9112 6.3 says close

    public void Reset(bool isHeadRequest, HttpResponseCapture? capture)
    {
        _isHeadRequest = isHeadRequest;
        _capture = capture;
        BytesConsumed = 0;
        StartResponse();
    }

    /// <summary>
    /// Parses as much of <paramref name="buffer"/> as possible. <paramref name="consumed"/> is where the
    /// next call must start; on NeedMoreData everything up to the end was examined.
    /// </summary>
    public ParseStatus Parse(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        ParseStatus status = ParseCore(ref reader);
        consumed = reader.Position;
        BytesConsumed += reader.Consumed;
        if (status == ParseStatus.Done)
        {
            FinishCapture();
        }

        return status;
    }

    /// <summary>
    /// The server closed the connection. True when that legitimately ends the response (a body with
    /// neither Content-Length nor chunked framing, RFC 9112 6.3 item 8); false when the response was cut.
    /// </summary>
    public bool TryCompleteAtEndOfStream()
    {
        if (_state != State.BodyUntilClose)
        {
            return false;
        }

        _state = State.Done;
        FinishCapture();
        return true;
    }

    /// <summary>How the body of the response whose head <see cref="ParseHead"/> finished is framed.</summary>
    public BodyFraming Framing => _state switch
    {
        State.FixedBody => BodyFraming.ContentLength,
        State.ChunkedBody => BodyFraming.Chunked,
        State.BodyUntilClose => BodyFraming.UntilClose,
        _ => BodyFraming.None,
    };

    /// <summary>
    /// Streaming mode, for a consumer that needs the body as it arrives (the HTTP-FLV player): parses only
    /// the head of the final response (interim 1xx ones skipped) and stops at its end, so that
    /// <paramref name="consumed"/> is then the body's first byte. Done: the head is complete, see
    /// <see cref="StatusCode"/> and <see cref="Framing"/>. <see cref="Parse"/> stays the path for whole responses.
    /// </summary>
    public ParseStatus ParseHead(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        ParseStatus status = ParseStatus.Done;
        while (status == ParseStatus.Done && _state is State.StatusLine or State.Headers)
        {
            status = ParseHeadLine(ref reader);
        }

        consumed = reader.Position;
        BytesConsumed += reader.Consumed;
        return status;
    }

    /// <summary>
    /// Streaming mode, after <see cref="ParseHead"/>: decodes the body's framing (Content-Length, chunked or
    /// until close) and hands each piece of body data to <paramref name="sink"/>. Done when the body ended
    /// (a body until close ends with <see cref="TryCompleteAtEndOfStream"/>).
    /// </summary>
    public ParseStatus ParseBody(in ReadOnlySequence<byte> buffer, IBodySink sink, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        ParseStatus status = ParseStatus.Done;
        switch (_state)
        {
            case State.FixedBody:
                ReadOnlySequence<byte> data = reader.UnreadSequence.Slice(0, Math.Min(_remaining, reader.Remaining));
                sink.Append(data);
                reader.Advance(data.Length);
                _remaining -= data.Length;
                status = _remaining > 0 ? ParseStatus.NeedMoreData : ParseStatus.Done;
                break;
            case State.ChunkedBody:
                status = _chunked.Read(ref reader, _lines, sink, capture: null);
                break;
            case State.BodyUntilClose:
                sink.Append(reader.UnreadSequence);
                reader.Advance(reader.Remaining);
                status = ParseStatus.NeedMoreData;
                break;
        }

        if (status == ParseStatus.Done)
        {
            _state = State.Done;
        }

        consumed = reader.Position;
        BytesConsumed += reader.Consumed;
        return status;
    }

    private void StartResponse()
    {
        _head.Reset();
        _chunked.Reset();
        _state = State.StatusLine;
        _remaining = 0;
        _headerBytes = 0;
        _capture?.Clear();
        if (_capture is not null)
        {
            _sink ??= new BodySink();
            _sink.Clear(_capture.MaxBodyBytes);
        }
    }

    private ParseStatus ParseCore(ref SequenceReader<byte> reader)
    {
        while (true)
        {
            switch (_state)
            {
                case State.StatusLine:
                case State.Headers:
                    ParseStatus head = ParseHeadLine(ref reader);
                    if (head != ParseStatus.Done)
                    {
                        return head;
                    }

                    break;

                case State.FixedBody:
                    if (reader.End)
                    {
                        return ParseStatus.NeedMoreData;
                    }

                    long take = Math.Min(_remaining, reader.Remaining);
                    Skip(ref reader, take);
                    _remaining -= take;
                    if (_remaining > 0)
                    {
                        return ParseStatus.NeedMoreData;
                    }

                    _state = State.Done;
                    return ParseStatus.Done;

                case State.ChunkedBody:
                    ParseStatus chunked = _chunked.Read(ref reader, _lines, _capture is null ? null : _sink, _capture);
                    if (chunked == ParseStatus.Done)
                    {
                        _state = State.Done;
                    }

                    return chunked;

                case State.BodyUntilClose:
                    Skip(ref reader, reader.Remaining);
                    return ParseStatus.NeedMoreData;

                default:
                    return ParseStatus.Done;
            }
        }
    }

    /// <summary>Reads one line of the head. Returns Done when a line was handled (not when the response is).</summary>
    private ParseStatus ParseHeadLine(ref SequenceReader<byte> reader)
    {
        // Fail fast on a peer that does not speak HTTP at all, instead of waiting for a line end that may
        // never come (until the response timeout).
        if (_state == State.StatusLine && !StartsLikeStatusLine(reader))
        {
            return ParseStatus.Error;
        }

        long before = reader.Consumed;
        LineResult result = _lines.TryReadLine(ref reader, out ReadOnlySpan<byte> line);
        if (result != LineResult.Line)
        {
            return result == LineResult.NeedMoreData && _headerBytes + reader.Remaining <= MaxHeaderBytes
                ? ParseStatus.NeedMoreData
                : ParseStatus.Error;
        }

        _headerBytes += reader.Consumed - before;
        if (_headerBytes > MaxHeaderBytes)
        {
            return ParseStatus.Error;
        }

        if (_state == State.StatusLine)
        {
            if (!_head.TryParseStatusLine(line))
            {
                return ParseStatus.Error;
            }

            _capture?.SetStatusLine(line, _head.StatusCode);
            _state = State.Headers;
            return ParseStatus.Done;
        }

        if (line.IsEmpty)
        {
            EndOfHead();
            return ParseStatus.Done;
        }

        if (!_head.TryParseHeader(line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value))
        {
            return ParseStatus.Error;
        }

        _capture?.AddHeader(name, value);
        return ParseStatus.Done;
    }

    /// <summary>Decides how the body is framed (RFC 9112 6.3), in the order the RFC gives.</summary>
    private void EndOfHead()
    {
        int status = _head.StatusCode;
        if (status is >= 100 and < 200 && status != 101)
        {
            // Interim response (100 Continue, 103 Early Hints): the final one follows on the same connection.
            StartResponse();
            return;
        }

        if (_isHeadRequest || status is (>= 100 and < 200) or 204 or 304)
        {
            _state = State.Done;
        }
        else if (_head.IsChunked)
        {
            _state = State.ChunkedBody;
        }
        else if (_head.HasTransferEncoding || _head.ContentLength < 0)
        {
            _state = State.BodyUntilClose;
        }
        else
        {
            _remaining = _head.ContentLength;
            _state = _remaining == 0 ? State.Done : State.FixedBody;
        }
    }

    private void Skip(ref SequenceReader<byte> reader, long count)
    {
        if (_capture is not null)
        {
            _sink!.Append(reader.UnreadSequence.Slice(0, count));
        }

        reader.Advance(count);
    }

    private void FinishCapture()
    {
        if (_capture is not null)
        {
            _capture.Body = _sink!.ToArray();
            _capture.BodyBytesSeen = _sink.Seen;
        }
    }

    private static bool StartsLikeStatusLine(SequenceReader<byte> reader)
    {
        ReadOnlySpan<byte> prefix = "HTTP/1."u8;
        Span<byte> start = stackalloc byte[7];
        int available = (int)Math.Min(reader.Remaining, prefix.Length);
        return reader.TryCopyTo(start[..available]) && start[..available].SequenceEqual(prefix[..available]);
    }
}
