using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>What <see cref="InterruptDeadline"/> interrupts: a connection (<see cref="ConnectionStream"/>).</summary>
internal interface IInterruptible
{
    /// <summary>From any thread: fails the pending and later I/O of the connection.</summary>
    void Interrupt();
}

/// <summary>
/// The exchange timeout of <see cref="SendOperation"/> through <see cref="DeadlineSweeper"/>: arming and disarming
/// are a few stores and one compare-and-swap, no timer and no token per request. When the sweeper finds the armed
/// exchange past its deadline it interrupts the connection (<see cref="ConnectionStream.Interrupt"/>), which fails
/// its pending read or write; the connection is then dropped.
/// </summary>
/// <remarks>
/// Every exchange has its own number, and the sweeper interrupts only after swapping exactly that number for its
/// negative. An exchange that ends first (its <see cref="Disarm"/> swaps the number for 0) can no longer be
/// interrupted, and the next exchange, with the next number, never is by a decision taken for this one. When the
/// sweeper wins, <see cref="Disarm"/> says so and the owner drops the connection, the interrupt's only target; the
/// sweeper reads the connection before its swap, while that exchange was still armed on it.
/// </remarks>
internal sealed class InterruptDeadline : IDeadlineTarget
{
    private IInterruptible? _connection;
    private long _deadline;        // Stopwatch timestamp of the armed exchange
    private long _armed;           // number of the armed exchange; 0 none; its negative once interrupted
    private long _number;          // the last exchange's number (owner only)
    private int _expireRequested;  // 1: the exchange in flight, or the next one armed in this call, ends at the next sweep (Abort)

    public InterruptDeadline() => DeadlineSweeper.Add(this);

    /// <summary>The exchange in flight was interrupted (its deadline passed, or it was aborted).</summary>
    public bool Expired => Volatile.Read(ref _armed) == -_number;

    /// <summary>Starts an exchange on <paramref name="connection"/> that must end within <paramref name="timeout"/>.</summary>
    public void Arm(IInterruptible connection, TimeSpan timeout)
    {
        _number++;
        Volatile.Write(ref _connection, connection);
        Volatile.Write(ref _deadline, DeadlineSweeper.DeadlineIn(timeout));
        // Last: a sweeper that reads this number reads this exchange's connection and deadline (or a later one's, and
        // then its swap fails).
        Volatile.Write(ref _armed, _number);
    }

    /// <summary>Ends the exchange; true when the sweeper interrupted it first (drop the connection).</summary>
    public bool Disarm()
    {
        long number = _number;
        if (Interlocked.CompareExchange(ref _armed, 0, number) == number)
        {
            return false;
        }

        bool interrupted = Volatile.Read(ref _armed) == -number;
        Volatile.Write(ref _armed, 0);
        return interrupted;
    }

    /// <summary>A new call starts: forget an <see cref="ExpireNow"/> that came after the previous one ended.</summary>
    public void Begin() => Volatile.Write(ref _expireRequested, 0);

    /// <summary>
    /// Thread-safe: ends the exchange in flight (or the next one this call arms) at the sweeper's next look. Only a
    /// flag, which <see cref="Begin"/> clears: an abort never writes a deadline that a later exchange could inherit.
    /// </summary>
    public void ExpireNow() => Volatile.Write(ref _expireRequested, 1);

    public void ExpireIfDue(long now)
    {
        long number = Volatile.Read(ref _armed);
        if (number <= 0 || (now < Volatile.Read(ref _deadline) && Volatile.Read(ref _expireRequested) == 0))
        {
            return;
        }

        IInterruptible? connection = Volatile.Read(ref _connection);
        if (Interlocked.CompareExchange(ref _armed, -number, number) == number)
        {
            connection?.Interrupt();
        }
    }

    /// <summary>Stops the sweeper from looking at this deadline (the connection is disposed).</summary>
    public void Unregister() => DeadlineSweeper.Remove(this);
}
