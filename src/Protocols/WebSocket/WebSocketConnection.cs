using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.WebSocket;

/// <summary>
/// An RFC 6455 client connection owned by one virtual user and kept across iterations: one exchange at a
/// time (not thread-safe). Connects and upgrades lazily, reconnects after a failure or a server close, and
/// in the steady state (open, no capture) sends a message and reads its answer without allocating.
/// </summary>
public sealed class WebSocketConnection : IAsyncDisposable, IAbortable
{
    private static readonly Action<object?> s_callerCanceled = static state => ((WebSocketConnection)state!).Abort();

    private readonly Uri _url;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly HttpClientOptions _options;
    private readonly HttpEndpoint _endpoint;
    private readonly Connector _connector;
    private readonly RequestTimer _timer = new();   // connect + handshake: once per connection, not per message
    private readonly PipeDeadline _deadline = new(); // per message, without a timer
    private readonly FrameDecoder _decoder = new();
    private MaskGenerator _masks = new((uint)Random.Shared.Next());
    private ConnectionStream? _connection;
    private long _sent;         // the exchange in flight: bytes written and read, the server's close status
    private long _received;
    private int _closeStatus;
    private bool _busy;
    private bool _disposed;

    /// <param name="url">ws:// or wss:// (TLS through SslStream; <see cref="HttpClientOptions.AcceptAnyServerCertificate"/> applies).</param>
    /// <param name="headers">The card's headers, sent with the opening handshake.</param>
    /// <param name="options">ConnectTimeout covers DNS, TCP, TLS and the handshake (connect_timeout); ResponseTimeout
    /// covers sending a message and receiving its answer (return_timeout).</param>
    /// <exception cref="ArgumentException">Not an absolute ws/wss URL, or a header that is not valid HTTP.</exception>
    public WebSocketConnection(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, HttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(url, headers);
        _url = url;
        _headers = headers;
        _options = options;
        _endpoint = HttpEndpoint.FromUri(url);
        _connector = new Connector(options, smallReads: true);
    }

    /// <summary>Checks a card's URL and headers once, before any VU opens a connection with them.</summary>
    /// <exception cref="ArgumentException">Not an absolute ws/wss URL, or a header that is not valid HTTP.</exception>
    public static void Validate(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeWs && url.Scheme != Uri.UriSchemeWss))
        {
            throw new ArgumentException($"'{url}' is not an absolute ws or wss URL.", nameof(url));
        }

        Handshake.Validate(url, headers);
    }

    /// <summary>The connection is open (handshake done, no failure since).</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>
    /// Sends <paramref name="exchange"/>'s message and receives until its end rule holds. Every failure is an
    /// outcome, never an exception; only cancellation through <paramref name="cancellationToken"/> throws
    /// (OperationCanceledException), after dropping the connection. Await each call before the next.
    /// </summary>
    /// <param name="exchange">The message to send and the end rule of its answer.</param>
    /// <param name="capture">Fill this with what was received (debug runs; allocates). Null on load runs.</param>
    /// <param name="cancellationToken">Cancels the exchange; the connection is then dropped.</param>
    public ValueTask<RequestResult> SendAsync(WebSocketExchange exchange, WebSocketCapture? capture = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RequestResult>(cancellationToken);
        }

        if (_busy)
        {
            throw new InvalidOperationException("A WebSocketConnection sends one message at a time; await the previous SendAsync first.");
        }

        _busy = true;
        return RunAsync(exchange, capture, cancellationToken);
    }

    /// <summary>Ends the exchange in flight, if any, from any thread: it completes as a timeout and the connection is dropped.</summary>
    public void Abort()
    {
        _timer.Cancel();
        _deadline.ExpireNow();
    }

    /// <summary>Close handshake (RFC 6455 7.1.2): sends close 1000, waits up to ConnectTimeout for the server's close, closes TCP.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _deadline.Unregister();
        if (_connection is ConnectionStream connection && !_busy)
        {
            _timer.Arm(_options.ConnectTimeout);
            try
            {
                await CloseHandshakeAsync(connection, _timer.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A dead or slow peer: the socket is closed below anyway.
            }
        }

        Drop();
        _timer.Dispose();
    }

    // Pooled: the state machine box is reused across calls, so awaiting here allocates nothing in steady state.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> RunAsync(WebSocketExchange exchange, WebSocketCapture? capture, CancellationToken cancellationToken)
    {
        CancellationTokenRegistration registration = default;
        try
        {
            _deadline.Begin();
            registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_callerCanceled, this) : default;
            long sent = 0, received = 0;
            if (_connection is null)
            {
                HandshakeResult opened = await OpenAsync(capture, cancellationToken).ConfigureAwait(false);
                if (opened.Outcome != Outcome.Success)
                {
                    return new RequestResult(opened.Outcome, opened.StatusCode, opened.BytesSent, opened.BytesReceived);
                }

                (sent, received) = (opened.BytesSent, opened.BytesReceived);
            }

            RequestResult result = await ExchangeAsync(exchange, capture).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return result with { BytesSent = result.BytesSent + sent, BytesReceived = result.BytesReceived + received };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Drop();
            throw;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            _busy = false;
        }
    }

    private async Task<HandshakeResult> OpenAsync(WebSocketCapture? capture, CancellationToken cancellationToken)
    {
        ConnectResult connected = await _connector.ConnectAsync(_endpoint, _timer, cancellationToken).ConfigureAwait(false);
        if (connected.Connection is not ConnectionStream connection)
        {
            return new HandshakeResult(connected.Outcome, 0, 0, 0);
        }

        _timer.Arm(_options.ConnectTimeout);
        HandshakeResult result;
        try
        {
            result = await Handshake.RunAsync(connection, _url, _headers, capture, _timer.Token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result = new HandshakeResult(_timer.Fired ? Outcome.Timeout : ErrorClassifier.ClassifyConnectFailure(error, false), 0, 0, 0);
        }
        finally
        {
            _timer.Disarm();
        }

        if (result.Outcome != Outcome.Success)
        {
            connection.Dispose();
            return result;
        }

        _connection = connection;
        _deadline.Attach(connection);
        _decoder.ResetConnection();
        return result;
    }

    /// <summary>One message out, frames in until the end rule holds; the deadline covers both.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> ExchangeAsync(WebSocketExchange exchange, WebSocketCapture? capture)
    {
        ConnectionStream connection = _connection!;
        _decoder.Reset(exchange, capture);
        _deadline.Arm(_options.ResponseTimeout);
        (_sent, _received, _closeStatus) = (0, 0, 0);
        Outcome outcome;
        try
        {
            _sent += FrameWriter.Write(connection.Writer, (Opcode)exchange.MessageType, exchange.Payload.Span, _masks.Next());
            outcome = await FlushAsync(connection.Writer).ConfigureAwait(false);
            if (outcome == Outcome.Success)
            {
                outcome = await ReceiveAsync(connection, capture).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The socket failed (IOException, SocketException) or was disposed under us by a timeout.
            outcome = _deadline.Expired ? Outcome.Timeout : Outcome.Other;
        }

        _deadline.Disarm();
        if (outcome != Outcome.Success)
        {
            // After a failure the stream position is unknown: never read a late answer as the next one's.
            Drop();
        }

        return new RequestResult(outcome, _closeStatus, _sent, _received);
    }

    /// <summary>Reads and decodes until the end rule holds (Success) or the exchange failed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome> ReceiveAsync(ConnectionStream connection, WebSocketCapture? capture)
    {
        while (true)
        {
            _deadline.SetPhase(PipeDeadline.Reading);
            ReadResult read = await connection.Reader.ReadAsync().ConfigureAwait(false);
            _deadline.SetPhase(PipeDeadline.Idle);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (read.IsCanceled && _deadline.Expired)
            {
                return Outcome.Timeout;
            }

            // (A cancellation meant for an earlier exchange only made this read return early: decode on.)
            DecodeStatus status = _decoder.Decode(buffer, out SequencePosition consumed);
            _received += buffer.Slice(buffer.Start, consumed).Length;
            connection.Reader.AdvanceTo(consumed, status == DecodeStatus.NeedMore ? buffer.End : consumed);
            switch (status)
            {
                case DecodeStatus.Done:
                    return Outcome.Success;
                case DecodeStatus.Error:
                    return Outcome.ParseFailed;
                case DecodeStatus.Ping:
                    _sent += FrameWriter.Write(connection.Writer, Opcode.Pong, _decoder.ControlPayload, _masks.Next());
                    Outcome flushed = await FlushAsync(connection.Writer).ConfigureAwait(false);
                    if (flushed != Outcome.Success)
                    {
                        return flushed;
                    }

                    break;
                case DecodeStatus.Close:
                    _closeStatus = CloseStatus(_decoder.ControlPayload, capture);
                    ReadOnlySpan<byte> echoed = _decoder.ControlPayload[..Math.Min(2, _decoder.ControlPayload.Length)];
                    _sent += FrameWriter.Write(connection.Writer, Opcode.Close, echoed, _masks.Next());
                    await FlushAsync(connection.Writer).ConfigureAwait(false);
                    return Outcome.Other;  // closed before the answer was complete; Drop closes TCP
                default:
                    if (read.IsCompleted)
                    {
                        // TCP closed without a close frame: before any answer byte the server refused the message.
                        return _decoder.PayloadReceived == 0 ? Outcome.Refused : Outcome.Other;
                    }

                    break;
            }
        }
    }

    private async ValueTask<Outcome> FlushAsync(PipeWriter writer)
    {
        _deadline.SetPhase(PipeDeadline.Writing);
        FlushResult flushed = await writer.FlushAsync().ConfigureAwait(false);
        _deadline.SetPhase(PipeDeadline.Idle);
        return !flushed.IsCanceled ? Outcome.Success : _deadline.Expired ? Outcome.Timeout : Outcome.Other;
    }

    /// <summary>Records the server's close; the answer echoes its status code (RFC 6455 5.5.1).</summary>
    private static int CloseStatus(ReadOnlySpan<byte> payload, WebSocketCapture? capture)
    {
        capture?.SetClose(payload);
        return payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
    }

    private async Task CloseHandshakeAsync(ConnectionStream connection, CancellationToken timeout)
    {
        FrameWriter.Write(connection.Writer, Opcode.Close, [0x03, 0xE8], _masks.Next());  // 1000: normal closure
        await connection.Writer.FlushAsync(timeout).ConfigureAwait(false);
        _decoder.Reset(WebSocketExchange.Drain, null);
        while (true)
        {
            ReadResult read = await connection.Reader.ReadAsync(timeout).ConfigureAwait(false);
            DecodeStatus status = _decoder.Decode(read.Buffer, out SequencePosition consumed);
            connection.Reader.AdvanceTo(consumed, status == DecodeStatus.NeedMore ? read.Buffer.End : consumed);
            if (status is DecodeStatus.Close or DecodeStatus.Error || read.IsCompleted)
            {
                return;
            }
        }
    }

    private void Drop()
    {
        ConnectionStream? connection = _connection;
        _connection = null;
        _deadline.Attach(null);
        connection?.Dispose();
    }
}
