using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>
/// The HTTP exchange timeout: the sweeper interrupts an exchange's connection only while that exchange is armed, and
/// its owner learns of it when it disarms. The race it designs out: a sweep deciding that exchange n is overdue just
/// as n completes must not interrupt exchange n + 1 on the same connection. <see cref="long.MaxValue"/> stands for a
/// sweep far past every deadline (the process-wide sweeper, with the real time, never finds these hour-long ones due).
/// </summary>
public sealed class InterruptDeadlineTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private sealed class Connection : IInterruptible
    {
        public int Interrupts;

        public void Interrupt() => Interlocked.Increment(ref Interrupts);
    }

    [Fact]
    public void An_overdue_exchange_is_interrupted_and_its_owner_told()
    {
        var deadline = new InterruptDeadline();
        var connection = new Connection();
        try
        {
            deadline.Arm(connection, Hour);
            deadline.ExpireIfDue(long.MaxValue);

            Assert.Equal(1, connection.Interrupts);
            Assert.True(deadline.Expired);
            Assert.True(deadline.Disarm());
            Assert.False(deadline.Expired);
        }
        finally
        {
            deadline.Unregister();
        }
    }

    [Fact]
    public void An_exchange_that_ended_is_not_interrupted_nor_is_the_next()
    {
        var deadline = new InterruptDeadline();
        var first = new Connection();
        var second = new Connection();
        try
        {
            deadline.Arm(first, Hour);
            Assert.False(deadline.Disarm());
            deadline.ExpireIfDue(long.MaxValue);  // a sweep that comes late for the first exchange: nothing is armed
            deadline.Arm(second, Hour);
            deadline.ExpireIfDue(System.Diagnostics.Stopwatch.GetTimestamp());  // not due

            Assert.Equal(0, first.Interrupts);
            Assert.Equal(0, second.Interrupts);
            Assert.False(deadline.Expired);
            Assert.False(deadline.Disarm());
        }
        finally
        {
            deadline.Unregister();
        }
    }

    [Fact]
    public void An_abort_ends_the_armed_exchange_and_a_new_call_forgets_it()
    {
        var deadline = new InterruptDeadline();
        var connection = new Connection();
        try
        {
            deadline.Begin();
            deadline.Arm(connection, Hour);
            deadline.ExpireNow();
            deadline.ExpireIfDue(System.Diagnostics.Stopwatch.GetTimestamp());
            Assert.Equal(1, connection.Interrupts);
            Assert.True(deadline.Disarm());

            // An abort before the exchange is armed (while connecting) ends it once armed.
            deadline.Begin();
            deadline.ExpireNow();
            var connecting = new Connection();
            deadline.Arm(connecting, Hour);
            deadline.ExpireIfDue(System.Diagnostics.Stopwatch.GetTimestamp());
            Assert.Equal(1, connecting.Interrupts);
            Assert.True(deadline.Disarm());

            deadline.Begin();
            var next = new Connection();
            deadline.Arm(next, Hour);
            deadline.ExpireIfDue(System.Diagnostics.Stopwatch.GetTimestamp());
            Assert.Equal(0, next.Interrupts);
            Assert.False(deadline.Disarm());
        }
        finally
        {
            deadline.Unregister();
        }
    }

    /// <summary>
    /// A sweeper thread that finds every exchange overdue races an owner arming and disarming exchanges, each on its
    /// own connection: an exchange's connection is interrupted exactly when its owner's Disarm says it was, never
    /// once the owner disarmed first, and never twice. Batches run until both outcomes were seen (so the race was
    /// exercised), at most 100 of them.
    /// </summary>
    [Fact]
    public async Task A_sweep_racing_the_end_of_an_exchange_interrupts_that_exchange_or_none()
    {
        const int Batch = 10_000;
        var deadline = new InterruptDeadline();
        int interrupted = 0, finished = 0;
        try
        {
            for (var batch = 0; batch < 100 && (interrupted == 0 || finished == 0); batch++)
            {
                var connections = new Connection[Batch];
                var interruptedAtDisarm = new bool[Batch];
                using var sweeping = new ManualResetEventSlim();
                using var stop = new CancellationTokenSource();
                var sweeper = Task.Run(() =>
                {
                    sweeping.Set();
                    for (var sweeps = 0; sweeps < 100_000_000 && !stop.IsCancellationRequested; sweeps++)
                    {
                        deadline.ExpireIfDue(long.MaxValue);
                    }
                });
                sweeping.Wait();
                for (var i = 0; i < Batch; i++)
                {
                    connections[i] = new Connection();
                    deadline.Arm(connections[i], Hour);
                    interruptedAtDisarm[i] = deadline.Disarm();
                }
                await stop.CancelAsync();
                await sweeper;

                for (var i = 0; i < Batch; i++)
                {
                    Assert.Equal(interruptedAtDisarm[i] ? 1 : 0, connections[i].Interrupts);
                    interrupted += connections[i].Interrupts;
                    finished += 1 - connections[i].Interrupts;
                }
            }

            Assert.NotEqual(0, interrupted);
            Assert.NotEqual(0, finished);
        }
        finally
        {
            deadline.Unregister();
        }
    }
}
