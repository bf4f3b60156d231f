namespace PerfTest.Protocols.Http;

/// <summary>
/// A keep-alive HTTP/1.1 connection owned by one virtual user: one request at a time (not thread-safe),
/// to one (scheme, host, port) at a time (a template for another endpoint closes and reconnects).
/// Connects lazily, reconnects when the server closed the connection, and in the steady state (connection
/// open, no capture) sends a request and reads its response without allocating.
/// </summary>
public sealed class Http1Connection : IAsyncDisposable
{
    private readonly SendOperation _operation;
    private bool _disposed;

    /// <summary>
    /// True where connections run on our own epoll loops (Linux, glibc), whose threads run the virtual
    /// users' continuations; false where they use .NET's sockets. PERFTEST_EPOLL=0 forces the latter.
    /// </summary>
    public static bool UsesEpoll => Epoll.EpollSocket.IsSupported;

    public Http1Connection(HttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _operation = new SendOperation(options);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the whole response. Every failure is an outcome
    /// (Refused, Timeout, ParseFailed, Other), never an exception; only cancellation through
    /// <paramref name="cancellationToken"/> throws (OperationCanceledException), after closing the
    /// connection. Await each call before the next; the returned ValueTask may be awaited once.
    /// </summary>
    /// <param name="request">The request, encoded once when the template was made.</param>
    /// <param name="capture">Fill this with the response (debug runs; allocates). Null on load runs.</param>
    /// <param name="cancellationToken">Cancels the request; the connection is then closed.</param>
    public ValueTask<RequestResult> SendAsync(HttpRequestTemplate request, HttpResponseCapture? capture = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RequestResult>(cancellationToken);
        }

        return _operation.Start(request, capture, cancellationToken);
    }

    /// <summary>
    /// Ends the request in flight, if any, from any thread: a connect at once, the exchange (sending the request,
    /// reading its response) within one resolution of the deadline sweeper (50 ms). The request then completes as a
    /// timeout and the connection is dropped, unless its response was complete by then. For stopping a run without a
    /// cancellation token per request. Between requests it only makes the next connect, if one is needed, a timeout.
    /// </summary>
    public void Abort() => _operation.Abort();

    /// <summary>Closes the connection. Call it after the last SendAsync completed.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _operation.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
