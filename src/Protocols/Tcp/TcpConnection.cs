using System.Runtime.CompilerServices;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Tcp;

/// <summary>
/// A raw TCP connection owned by one virtual user: one message at a time (not thread-safe), kept across
/// iterations. Connects lazily, to the exchange's host and port (another target closes and reconnects),
/// and reconnects when the peer closed. In the steady state (connected, no capture) a message costs one
/// write and the reads its end rule needs, and allocates nothing: the awaits are pooled
/// (<see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>), the buffer is the connection's, and the
/// timeouts are swept (<see cref="ExchangeDeadline"/>).
/// </summary>
public sealed class TcpConnection : IAsyncDisposable
{
    // One read takes what the kernel has; an answer longer than this is read in several.
    private const int BufferSize = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly AddressResolver _resolver = new();
    private readonly ExchangeDeadline _deadline = new();
    private Stream? _stream;
    private string? _host;
    private int _port;
    private bool _busy;
    private bool _disposed;

    /// <summary>
    /// Sends the exchange's payload and reads the answer until its end rule holds. Every failure is an
    /// outcome, never an exception; only cancellation through <paramref name="cancellationToken"/> throws
    /// (OperationCanceledException), after closing the connection. Await each call before the next.
    /// </summary>
    /// <param name="capture">Fill this with the answer's bytes (debug runs; allocates). Null on load runs.</param>
    public ValueTask<RequestResult> SendAsync(SocketExchange exchange, SocketCapture? capture = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RequestResult>(cancellationToken);
        }

        if (_busy)
        {
            throw new InvalidOperationException("A TcpConnection sends one message at a time; await the previous SendAsync first.");
        }

        return RunAsync(exchange, capture, cancellationToken);
    }

    /// <summary>Ends the message in flight, if any, from any thread: it completes as a timeout within one sweep.</summary>
    public void Abort() => _deadline.ExpireNow();

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            Close();
            _deadline.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> RunAsync(SocketExchange exchange, SocketCapture? capture, CancellationToken cancellationToken)
    {
        _busy = true;
        CancellationTokenRegistration registration = _deadline.Begin(cancellationToken);
        try
        {
            RequestResult result = default;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                bool reused = _stream is not null && _port == exchange.Port && string.Equals(_host, exchange.Host, StringComparison.OrdinalIgnoreCase);
                if (!reused)
                {
                    Outcome connected = await ConnectAsync(exchange).ConfigureAwait(false);
                    if (connected != Outcome.Success)
                    {
                        result = new RequestResult(connected, 0, 0, 0);
                        break;
                    }
                }

                capture?.Clear();
                result = await ExchangeAsync(exchange, capture).ConfigureAwait(false);
                // Closed or reset before a single answer byte on a kept connection: the peer dropped it while
                // idle. Retry once on a fresh one; a fresh connection answering so is the answer.
                if (!(reused && result.Outcome == Outcome.Refused && result.BytesReceived == 0))
                {
                    break;
                }
            }

            capture?.Complete();
            if (cancellationToken.IsCancellationRequested)
            {
                Close();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return result;
        }
        finally
        {
            registration.Dispose();
            _busy = false;
        }
    }

    /// <summary>Write, then read until the end rule holds; the connection is closed after any failure.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> ExchangeAsync(SocketExchange exchange, SocketCapture? capture)
    {
        Stream stream = _stream!;
        CancellationToken token = _deadline.Token;
        long sent = 0;
        long received = 0;
        int matched = 0;
        Outcome outcome = Outcome.Success;
        // Covers the write too: a peer that stops reading must not hang the virtual user.
        _deadline.Arm(exchange.ReturnTimeout);
        try
        {
            await stream.WriteAsync(exchange.Payload, token).ConfigureAwait(false);
            sent = exchange.Payload.Length;
            while (true)
            {
                int read = await stream.ReadAsync(_buffer.AsMemory(), token).ConfigureAwait(false);
                if (read == 0)
                {
                    // The peer closed: before any byte it refused the message; after some, the answer is cut short.
                    outcome = received == 0 ? Outcome.Refused : Outcome.ParseFailed;
                    break;
                }

                received += read;
                ReadOnlySpan<byte> data = _buffer.AsSpan(0, read);
                capture?.Append(data);
                if (exchange.End.IsComplete(data, received, ref matched))
                {
                    break;
                }
            }
        }
        catch (Exception error)
        {
            outcome = ErrorClassifier.IsRefusedOrReset(error) ? Outcome.Refused : Outcome.Other;
        }

        if (_deadline.Disarm())
        {
            outcome = Outcome.Timeout;
        }

        if (outcome != Outcome.Success)
        {
            // After a timeout the stream position is unknown; a late answer must never be read as the next one.
            Close();
        }

        return new RequestResult(outcome, 0, sent, received);
    }

    /// <summary>Once per connection, so a plain (allocating) async method; under the exchange's connect timeout.</summary>
    private async Task<Outcome> ConnectAsync(SocketExchange exchange)
    {
        Close();
        _deadline.Renew();
        _deadline.Arm(exchange.ConnectTimeout);
        Outcome outcome = Outcome.Success;
        try
        {
            var addresses = await _resolver.ResolveAsync(exchange.Host, _deadline.Token).ConfigureAwait(false);
            _stream = await TcpTransport.ConnectAsync(addresses, exchange.Port, _deadline.Token).ConfigureAwait(false);
            _host = exchange.Host;
            _port = exchange.Port;
        }
        catch (Exception error)
        {
            _resolver.Forget();
            outcome = ErrorClassifier.ClassifyConnectFailure(error, timedOut: false);
        }

        if (_deadline.Disarm())
        {
            // Even a connection that made it just now carries a cancelled token: drop it.
            Close();
            outcome = Outcome.Timeout;
        }

        return outcome;
    }

    private void Close()
    {
        Stream? stream = _stream;
        _stream = null;
        stream?.Dispose();
    }
}
