using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Udp;

/// <summary>
/// A connected UDP socket owned by one virtual user: one message at a time (not thread-safe). Sends the
/// payload as one datagram and receives answer datagrams until the end rule holds. Connecting the socket
/// (a local operation, no packet) fixes the peer, so only its datagrams are received, and makes the kernel
/// report an ICMP port unreachable as ConnectionRefused on the next receive. In the steady state it
/// allocates nothing: Socket's Memory-based SendAsync/ReceiveAsync complete through reusable
/// SocketAsyncEventArgs, and the timeouts are swept (<see cref="ExchangeDeadline"/>).
/// </summary>
public sealed class UdpChannel : IAsyncDisposable
{
    // The largest UDP payload: a datagram is never truncated.
    private const int BufferSize = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly AddressResolver _resolver = new();
    private readonly ExchangeDeadline _deadline = new();
    private Socket? _socket;
    private string? _host;
    private int _port;
    private bool _busy;
    private bool _disposed;

    /// <summary>
    /// Sends one datagram and receives the answer. A lost answer is a Timeout (after the exchange's
    /// return timeout); an unreachable port is Refused. Failures are outcomes; only cancellation through
    /// <paramref name="cancellationToken"/> throws. Await each call before the next.
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
            throw new InvalidOperationException("A UdpChannel sends one message at a time; await the previous SendAsync first.");
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
            capture?.Clear();
            RequestResult result;
            if (_socket is null || _port != exchange.Port || !string.Equals(_host, exchange.Host, StringComparison.OrdinalIgnoreCase))
            {
                Outcome opened = await OpenAsync(exchange).ConfigureAwait(false);
                result = opened == Outcome.Success
                    ? await ExchangeAsync(exchange, capture).ConfigureAwait(false)
                    : new RequestResult(opened, 0, 0, 0);
            }
            else
            {
                result = await ExchangeAsync(exchange, capture).ConfigureAwait(false);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> ExchangeAsync(SocketExchange exchange, SocketCapture? capture)
    {
        Socket socket = _socket!;
        CancellationToken token = _deadline.Token;
        long sent = 0;
        long received = 0;
        int matched = 0;
        Outcome outcome = Outcome.Success;
        _deadline.Arm(exchange.ReturnTimeout);
        try
        {
            sent = await socket.SendAsync(exchange.Payload, SocketFlags.None, token).ConfigureAwait(false);
            while (true)
            {
                int read = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, token).ConfigureAwait(false);
                // An empty datagram is a datagram: it counts as a receive (and ends a first-receive answer).
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
            // Drop the socket: the late answer then goes to a closed port, not into the next exchange.
            Close();
            outcome = Outcome.Timeout;
        }
        else if (outcome == Outcome.Other)
        {
            Close();
        }

        return new RequestResult(outcome, 0, sent, received);
    }

    /// <summary>Resolve, create and connect the socket: once per channel (and after a timeout), so it may allocate.</summary>
    private async Task<Outcome> OpenAsync(SocketExchange exchange)
    {
        Close();
        _deadline.Renew();
        _deadline.Arm(exchange.ConnectTimeout);
        Outcome outcome = Outcome.Success;
        try
        {
            IPAddress[] addresses = await _resolver.ResolveAsync(exchange.Host, _deadline.Token).ConfigureAwait(false);
            IPAddress address = addresses[0];
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _socket = socket;
            await socket.ConnectAsync(new IPEndPoint(address, exchange.Port), _deadline.Token).ConfigureAwait(false);
            _host = exchange.Host;
            _port = exchange.Port;
        }
        catch (Exception error)
        {
            _resolver.Forget();
            Close();
            outcome = ErrorClassifier.ClassifyConnectFailure(error, timedOut: false);
        }

        if (_deadline.Disarm())
        {
            Close();
            outcome = Outcome.Timeout;
        }

        return outcome;
    }

    private void Close()
    {
        Socket? socket = _socket;
        _socket = null;
        socket?.Dispose();
    }
}
