using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Udp;

/// <summary>
/// A connected UDP socket owned by one virtual user. Sends the payload as one datagram and receives
/// answer datagrams until the end rule holds. Connecting the socket (a local operation, no packet) fixes
/// the peer, so only its datagrams are received, and makes the kernel report an ICMP port unreachable as
/// ConnectionRefused on the next receive. In the steady state it allocates nothing: Socket's Memory-based
/// SendAsync/ReceiveAsync complete through reusable SocketAsyncEventArgs, and the timeouts are swept
/// (<see cref="ExchangeDeadline"/>). A lost answer is a Timeout; an unreachable port is Refused.
/// </summary>
public sealed class UdpChannel : SocketClient
{
    // The largest UDP payload: a datagram is never truncated.
    private const int BufferSize = 64 * 1024;

    private Socket? _socket;

    /// <param name="targets">Where it may connect; null: anywhere but link-local and cloud metadata addresses.</param>
    public UdpChannel(TargetPolicy? targets = null)
        : base(BufferSize, targets)
    {
    }

    private protected override bool IsOpen => _socket is not null;

    private protected override ValueTask<RequestResult> SendCoreAsync(SocketExchange exchange, SocketCapture? capture)
    {
        capture?.Clear();
        return IsOpenTo(exchange) ? ExchangeAsync(exchange, capture) : OpenThenExchangeAsync(exchange, capture);
    }

    private protected override void Close()
    {
        Socket? socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    private async ValueTask<RequestResult> OpenThenExchangeAsync(SocketExchange exchange, SocketCapture? capture)
    {
        Outcome opened = await OpenAsync(exchange).ConfigureAwait(false);
        return opened == Outcome.Success
            ? await ExchangeAsync(exchange, capture).ConfigureAwait(false)
            : new RequestResult(opened, 0, 0, 0);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> ExchangeAsync(SocketExchange exchange, SocketCapture? capture)
    {
        Socket socket = _socket!;
        CancellationToken token = Deadline.Token;
        long sent = 0;
        long received = 0;
        int matched = 0;
        Outcome outcome = Outcome.Success;
        Deadline.Arm(exchange.ReturnTimeout);
        try
        {
            sent = await socket.SendAsync(exchange.Payload, SocketFlags.None, token).ConfigureAwait(false);
            while (true)
            {
                // An empty datagram is a datagram: it counts as a receive (and ends a first-receive answer).
                int read = await socket.ReceiveAsync(Buffer.AsMemory(), SocketFlags.None, token).ConfigureAwait(false);
                if (Accept(exchange, capture, read, ref received, ref matched))
                {
                    break;
                }
            }
        }
        catch (Exception error)
        {
            outcome = Classify(error);
        }

        if (Deadline.Disarm())
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
        BeginOpen(exchange);
        Exception? failure = null;
        try
        {
            IPAddress[] addresses = await Resolver.ResolveAsync(exchange.Host, Deadline.Token).ConfigureAwait(false);
            _socket = new Socket(addresses[0].AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await _socket.ConnectAsync(new IPEndPoint(addresses[0], exchange.Port), Deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            failure = error;
        }

        return EndOpen(exchange, failure);
    }
}
