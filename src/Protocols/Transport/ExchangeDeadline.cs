namespace PerfTest.Protocols.Transport;

/// <summary>
/// The timeout of a raw socket client (TCP, UDP) through <see cref="DeadlineSweeper"/>: no timer and no new
/// token per message. Every pending I/O of a connection gets <see cref="Token"/>, one source per connection;
/// when the sweeper finds the armed deadline passed, it cancels that source, which fails the pending I/O.
/// The connection is then dropped (a late answer must never be read as the next one), so a cancelled
/// source is never used again and <see cref="Renew"/> makes the next connection's source.
/// </summary>
/// <remarks>
/// The sweeper's decision and the owner's <see cref="Disarm"/> are ordered by a lock (uncontended: one
/// sweep per 50 ms), so an exchange is either expired or finished in time, never both; the source is
/// cancelled outside the lock, because cancelling may run the owner's continuation inline.
/// </remarks>
internal sealed class ExchangeDeadline : IDeadlineTarget, IDisposable
{
    private static readonly Action<object?> s_expireNow = static state => ((ExchangeDeadline)state!).ExpireNow();

    private readonly Lock _gate = new();
    private CancellationTokenSource _source = new();
    private long _deadline;  // Stopwatch timestamp; 0 = not armed
    private bool _expired;
    private volatile bool _expireRequested;

    public ExchangeDeadline() => DeadlineSweeper.Add(this);

    public CancellationToken Token => _source.Token;

    /// <summary>A fresh source for a new connection (allocates: once per connection, not per message).</summary>
    public void Renew()
    {
        CancellationTokenSource old = _source;
        _source = new CancellationTokenSource();
        old.Dispose();
    }

    /// <summary>
    /// Starts a message: forgets an earlier abort, and forwards the caller's token to <see cref="ExpireNow"/>.
    /// The callback is static and the caller's source recycles its registration nodes, so this does not
    /// allocate per message.
    /// </summary>
    public CancellationTokenRegistration Begin(CancellationToken callerToken)
    {
        _expireRequested = false;
        return callerToken.CanBeCanceled ? callerToken.UnsafeRegister(s_expireNow, this) : default;
    }

    public void Arm(TimeSpan timeout)
    {
        lock (_gate)
        {
            _expired = false;
            _deadline = _expireRequested ? 1 : DeadlineSweeper.DeadlineIn(timeout);
        }
    }

    /// <returns>True when the sweeper expired the exchange first: its I/O is (being) cancelled.</returns>
    public bool Disarm()
    {
        lock (_gate)
        {
            _deadline = 0;
            return _expired;
        }
    }

    /// <summary>From any thread (abort, caller cancellation): the armed exchange, or the next one, expires at the next sweep.</summary>
    public void ExpireNow()
    {
        _expireRequested = true;
        lock (_gate)
        {
            if (_deadline != 0)
            {
                _deadline = 1;
            }
        }
    }

    public void ExpireIfDue(long now)
    {
        CancellationTokenSource source;
        lock (_gate)
        {
            if (_deadline == 0 || now < _deadline)
            {
                return;
            }

            _deadline = 0;
            _expired = true;
            source = _source;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The owner dropped that connection meanwhile: nothing left to cancel.
        }
    }

    public void Dispose()
    {
        DeadlineSweeper.Remove(this);
        _source.Dispose();
    }
}
