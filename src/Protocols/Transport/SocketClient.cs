using System.Runtime.CompilerServices;
using PerfTest.Protocols.Targets;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// What the raw TCP and UDP clients share: one message at a time for one virtual user (not thread-safe),
/// the caller-token and capture handling around a message, the swept timeout, the DNS cache, the receive
/// buffer, and how a receive is fed to the end rule. Subclasses open their socket and move the bytes.
/// </summary>
public abstract class SocketClient : IAsyncDisposable, IAbortable
{
    private bool _busy;
    private bool _disposed;
    private string? _host;
    private int _port;

    private protected SocketClient(int bufferSize, TargetPolicy? targets)
    {
        Buffer = new byte[bufferSize];
        Resolver = new AddressResolver(targets ?? TargetPolicy.Unrestricted);
    }

    private protected byte[] Buffer { get; }

    private protected AddressResolver Resolver { get; }

    private protected ExchangeDeadline Deadline { get; } = new();

    /// <summary>
    /// Sends the exchange's payload and receives the answer until its end rule holds. Every failure is an
    /// outcome (Refused, Timeout, ParseFailed, Other), never an exception; only cancellation through
    /// <paramref name="cancellationToken"/> throws (OperationCanceledException), after closing the socket.
    /// Await each call before the next; the returned ValueTask may be awaited once.
    /// </summary>
    /// <param name="exchange">What to send and where, and when its answer is complete (built once per card).</param>
    /// <param name="capture">Fill this with the answer's bytes (debug runs; allocates). Null on load runs.</param>
    /// <param name="cancellationToken">Cancels the exchange; the socket is then closed.</param>
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
            throw new InvalidOperationException($"A {GetType().Name} sends one message at a time; await the previous SendAsync first.");
        }

        return RunAsync(exchange, capture, cancellationToken);
    }

    /// <summary>Ends the message in flight, if any, from any thread: it completes as a timeout within one sweep.</summary>
    public void Abort() => Deadline.ExpireNow();

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            Close();
            Deadline.Dispose();
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Opens the socket if needed and runs the exchange (with any retry).</summary>
    private protected abstract ValueTask<RequestResult> SendCoreAsync(SocketExchange exchange, SocketCapture? capture);

    private protected abstract bool IsOpen { get; }

    /// <summary>Drops the socket; safe to call when there is none.</summary>
    private protected abstract void Close();

    /// <summary>The open socket goes to the exchange's target (another target closes and reopens).</summary>
    private protected bool IsOpenTo(SocketExchange exchange) =>
        IsOpen && _port == exchange.Port && string.Equals(_host, exchange.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>Before opening: drop the old socket, take a fresh token source, arm the connect timeout.</summary>
    private protected void BeginOpen(SocketExchange exchange)
    {
        Close();
        Deadline.Renew();
        Deadline.Arm(exchange.ConnectTimeout);
    }

    /// <summary>After opening: a timeout wins, even over a socket that made it just now (its token is cancelled).</summary>
    private protected Outcome EndOpen(SocketExchange exchange, Exception? error)
    {
        Outcome outcome = Outcome.Success;
        if (error is not null)
        {
            Resolver.Forget();
            Close();
            outcome = ErrorClassifier.ClassifyConnectFailure(error, timedOut: false);
        }

        if (Deadline.Disarm())
        {
            Close();
            outcome = Outcome.Timeout;
        }

        if (outcome == Outcome.Success)
        {
            _host = exchange.Host;
            _port = exchange.Port;
        }

        return outcome;
    }

    /// <summary>Counts and captures one receive of <paramref name="read"/> bytes in <see cref="Buffer"/>.</summary>
    /// <returns>True when the answer is complete.</returns>
    private protected bool Accept(SocketExchange exchange, SocketCapture? capture, int read, ref long received, ref int matched)
    {
        received += read;
        ReadOnlySpan<byte> data = Buffer.AsSpan(0, read);
        capture?.Append(data);
        return exchange.End.IsComplete(data, received, ref matched);
    }

    /// <summary>The outcome of an exchange that threw; a swept timeout is decided by the caller's Disarm.</summary>
    private protected static Outcome Classify(Exception error) =>
        ErrorClassifier.IsRefusedOrReset(error) ? Outcome.Refused : Outcome.Other;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestResult> RunAsync(SocketExchange exchange, SocketCapture? capture, CancellationToken cancellationToken)
    {
        _busy = true;
        CancellationTokenRegistration registration = Deadline.Begin(cancellationToken);
        try
        {
            RequestResult result = await SendCoreAsync(exchange, capture).ConfigureAwait(false);
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
}
