using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>
/// One connection's exchange deadline for <see cref="DeadlineSweeper"/>: arming and disarming are plain
/// stores; when the sweeper finds it past due it cancels the pending flush or read of the connection's
/// pipe, which then returns IsCanceled. <see cref="Epoch"/> numbers the exchanges, so a cancellation meant
/// for one is never taken for the next. The exchange timeout of the HTTP client (<see cref="SendOperation"/>)
/// and of the WebSocket client.
/// </summary>
internal sealed class PipeDeadline : IDeadlineTarget
{
    public const int Idle = 0;
    public const int Writing = 1;
    public const int Reading = 2;

    private ConnectionStream? _connection;
    private long _deadline;  // Stopwatch timestamp, 0 = none
    private int _epoch;
    private int _expiredEpoch = -1;
    private int _phase;
    private volatile bool _expireRequested;

    public PipeDeadline() => DeadlineSweeper.Add(this);

    /// <summary>The current exchange passed its deadline (or was ended by <see cref="ExpireNow"/>).</summary>
    public bool Expired => Volatile.Read(ref _expiredEpoch) == _epoch;

    private int Epoch => Volatile.Read(ref _epoch);

    public void Attach(ConnectionStream? connection) => Volatile.Write(ref _connection, connection);

    public void Arm(TimeSpan timeout)
    {
        _epoch++;
        Volatile.Write(ref _deadline, _expireRequested ? 1 : DeadlineSweeper.DeadlineIn(timeout));
    }

    /// <summary>What the sweeper may cancel: <see cref="Writing"/> a flush, <see cref="Reading"/> a read.</summary>
    public void SetPhase(int phase) => Volatile.Write(ref _phase, phase);

    public void Disarm()
    {
        Volatile.Write(ref _deadline, 0);
        Volatile.Write(ref _phase, Idle);
    }

    /// <summary>A new call starts: forget an <see cref="ExpireNow"/> that came after the previous one ended.</summary>
    public void Begin() => _expireRequested = false;

    /// <summary>Thread-safe: ends the exchange in flight (or the next one armed) within one sweeper resolution.</summary>
    public void ExpireNow()
    {
        _expireRequested = true;
        long deadline = Volatile.Read(ref _deadline);
        if (deadline != 0)
        {
            Interlocked.CompareExchange(ref _deadline, 1, deadline);
        }
    }

    public void ExpireIfDue(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline == 0 || now < deadline)
        {
            return;
        }

        Volatile.Write(ref _expiredEpoch, Epoch);
        ConnectionStream? connection = Volatile.Read(ref _connection);
        try
        {
            switch (Volatile.Read(ref _phase))
            {
                case Writing:
                    connection?.Writer.CancelPendingFlush();
                    break;
                case Reading:
                    connection?.Reader.CancelPendingRead();
                    break;
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // The exchange ended and its connection went away meanwhile: nothing left to cancel.
        }
    }

    /// <summary>Stops the sweeper from looking at this deadline (the connection is disposed).</summary>
    public void Unregister() => DeadlineSweeper.Remove(this);
}
