using System.Runtime.CompilerServices;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Tcp;

/// <summary>
/// A raw TCP connection owned by one virtual user, kept across iterations. Connects lazily, to the
/// exchange's host and port, and reconnects when the peer closed. In the steady state (connected, no
/// capture) a message costs one write and the reads its end rule needs, and allocates nothing: the awaits
/// are pooled (<see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>), the buffer is the connection's,
/// and the timeouts are swept (<see cref="ExchangeDeadline"/>).
/// </summary>
public sealed class TcpConnection : SocketClient
{
    // One read takes what the kernel has; an answer longer than this is read in several.
    private const int BufferSize = 16 * 1024;

    private Stream? _stream;

    /// <param name="targets">Where it may connect; null: anywhere but link-local and cloud metadata addresses.</param>
    public TcpConnection(TargetPolicy? targets = null)
        : base(BufferSize, targets)
    {
    }

    private protected override bool IsOpen => _stream is not null;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private protected override async ValueTask<RequestResult> SendCoreAsync(SocketExchange exchange, SocketCapture? capture)
    {
        RequestResult result = default;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            bool reused = IsOpenTo(exchange);
            if (!reused)
            {
                Outcome connected = await ConnectAsync(exchange).ConfigureAwait(false);
                if (connected != Outcome.Success)
                {
                    return new RequestResult(connected, 0, 0, 0);
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

        return result;
    }

    private protected override void Close()
    {
        Stream? stream = _stream;
        _stream = null;
        stream?.Dispose();
    }

    /// <summary>Write, then read until the end rule holds; the connection is closed after any failure.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> ExchangeAsync(SocketExchange exchange, SocketCapture? capture)
    {
        Stream stream = _stream!;
        CancellationToken token = Deadline.Token;
        long sent = 0;
        long received = 0;
        int matched = 0;
        Outcome outcome = Outcome.Success;
        // Covers the write too: a peer that stops reading must not hang the virtual user.
        Deadline.Arm(exchange.ReturnTimeout);
        try
        {
            await stream.WriteAsync(exchange.Payload, token).ConfigureAwait(false);
            sent = exchange.Payload.Length;
            while (true)
            {
                int read = await stream.ReadAsync(Buffer.AsMemory(), token).ConfigureAwait(false);
                if (read == 0)
                {
                    // The peer closed: before any byte it refused the message; after some, the answer is cut short.
                    outcome = received == 0 ? Outcome.Refused : Outcome.ParseFailed;
                    break;
                }

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
        BeginOpen(exchange);
        Exception? failure = null;
        try
        {
            var addresses = await Resolver.ResolveAsync(exchange.Host, Deadline.Token).ConfigureAwait(false);
            _stream = await TcpTransport.ConnectAsync(addresses, exchange.Port, SourceAddresses.Current, Deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            failure = error;
        }

        return EndOpen(exchange, failure);
    }
}
