namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when a test says so: <see cref="AdvanceTo"/> sets the time
/// and fires, in the order they are due and on the caller's thread, the timers due by then (what Task.Delay and
/// CancelAfter on this clock wait for). Timestamps are TimeSpan ticks from 0. Thread-safe.
/// </summary>
internal sealed class VirtualClock : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override DateTimeOffset GetUtcNow() => Start + Elapsed;

    public TimeSpan Elapsed => new(GetTimestamp());

    /// <summary>When the earliest timer set is due (a timestamp), or null when none is set: then whoever uses this
    /// clock waits for none of it (its loop is running, or it is done).</summary>
    public long? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count == 0 ? null : _timers.Min(t => t.Due);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the time to <paramref name="timestamp"/> (never back), firing each timer at its due time.</summary>
    public void AdvanceTo(long timestamp)
    {
        while (true)
        {
            VirtualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.Due <= timestamp).MinBy(t => t.Due);
                if (due is null)
                {
                    _now = Math.Max(_now, timestamp);
                    return;
                }
                _now = Math.Max(_now, due.Due);
                _timers.Remove(due);
                if (due.Period > 0)
                {
                    due.Due += due.Period;
                    _timers.Add(due);
                }
            }
            // Outside the lock: the callback may read the clock or set timers (a continuation run inline).
            due.Callback(due.State);
        }
    }

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;
        public object? State { get; } = state;
        public long Due { get; set; }
        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }
                Due = clock._now + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                clock._timers.Add(this);
                return true;
            }
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
