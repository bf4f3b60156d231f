namespace PerfTest.Protocols.Http;

/// <summary>
/// The connection's one timeout source, re-armed for each phase (connect, exchange). A new
/// CancellationTokenSource per request would allocate it and a timer-queue entry; CancelAfter on a
/// live source only moves its existing timer, and TryReset rearms it for reuse.
/// </summary>
internal sealed class RequestTimer : IDisposable
{
    private CancellationTokenSource _source = new();
    private bool _disposed;
    private bool _armed;  // since the last Disarm: Disarm runs after every request, and has nothing to do unless a connect armed it

    public CancellationToken Token => _disposed ? new CancellationToken(canceled: true) : _source.Token;

    /// <summary>The timer fired (or <see cref="Cancel"/> was called: callers check their own token first).</summary>
    public bool Fired => _disposed || _source.IsCancellationRequested;

    public void Arm(TimeSpan timeout)
    {
        if (!_disposed)
        {
            _armed = true;
            _source.CancelAfter(timeout);
        }
    }

    /// <summary>Stops the timer; replaces the source only when it already fired (that path may allocate).</summary>
    public void Disarm()
    {
        if (!_armed && !_source.IsCancellationRequested)
        {
            return;  // the common case, per request: TryReset would still take the timer queue's lock
        }

        _armed = false;
        try
        {
            if (!_disposed && !_source.TryReset())
            {
                _source.Dispose();
                _source = new CancellationTokenSource();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently by the connection owner: nothing to disarm.
        }
    }

    /// <summary>Caller cancellation is forwarded here, so one token covers both.</summary>
    public void Cancel()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _source.Dispose();
    }
}
