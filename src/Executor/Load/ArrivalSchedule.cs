namespace PerfTest.Executor.Load;

/// <summary>
/// When the iterations of an open-model stage are due, in timestamps of the stage's clock counted from the stage's
/// start: the first as soon as the rate is above 0, each next one when the rate integrated since the previous start
/// reaches 1. So a second holds as many starts as the area under the rate curve over it, on a ramp or a wave as on a
/// constant rate (sampling the rate at a start and waiting 1 / rate would wait 100 s after a start at 0.01 per
/// second on a ramp from 0). The integral is taken in steps of at most <see cref="Step"/>, each at its midpoint's
/// rate (exact on a line), so a change of the rate (a manual level set meanwhile) counts from the next step on.
/// Not thread-safe: the runner's loop owns it.
/// </summary>
public sealed class ArrivalSchedule
{
    /// <summary>The longest step of the integral: how far ahead of a start the rate is read, at most.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private readonly IArrivalShape _shape;
    private readonly double _frequency;
    private readonly long _step;
    private readonly TimeSpan _offset;
    private long _cursor;        // how far the integral has been taken
    private double _credit = 1;  // the integral since the last start: the first start is owed at once
    private long _due = -1;      // the next start once found, until taken; -1 before

    /// <param name="shape">The stage's rate.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps (the stage clock's <see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="offset">Where on the shape's curve timestamp 0 is: zero, or for an executor joining a running
    /// stage the time since the group started it (the integral starts there).</param>
    public ArrivalSchedule(IArrivalShape shape, long timestampFrequency, TimeSpan offset = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        ArgumentOutOfRangeException.ThrowIfLessThan(offset, TimeSpan.Zero);
        _shape = shape;
        _offset = offset;
        _frequency = timestampFrequency;
        _step = Math.Max(1, Ticks(Step.TotalSeconds));
    }

    /// <summary>The next start, when it is due at or before <paramref name="limit"/>; it stays the next until <see cref="Take"/>.</summary>
    public bool TryPeek(long limit, out long due)
    {
        while (_due < 0 && _cursor <= limit)
        {
            Integrate();
        }
        due = _due;
        return _due >= 0 && _due <= limit;
    }

    /// <summary>The start <see cref="TryPeek"/> gave was made: the next call looks for the one after it.</summary>
    public void Take() => _due = -1;

    /// <summary>Takes the integral one step further, or finds the next start within that step.</summary>
    private void Integrate()
    {
        if (_credit >= 1)
        {
            // The first start: due as soon as there is a rate at all.
            if (RateAt(_cursor) > 0)
            {
                Due(_cursor);
            }
            else
            {
                _cursor += _step;
            }
            return;
        }
        var rate = Math.Max(0, RateAt(_cursor + _step / 2));
        var gain = rate * (_step / _frequency);
        if (_credit + gain < 1)
        {
            _credit += gain;
            _cursor += _step;
            return;
        }
        // The integral reaches 1 within this step: where, at the rate of the part up to there (the midpoint of a
        // part depends on its length, so the length is refined twice; on a line that converges at once).
        var missing = 1 - _credit;
        var seconds = Math.Min(missing / rate, Step.TotalSeconds);
        for (var i = 0; i < 2; i++)
        {
            var partRate = RateAt(_cursor + Ticks(seconds / 2));
            if (partRate > 0)
            {
                seconds = Math.Min(missing / partRate, Step.TotalSeconds);
            }
        }
        Due(Math.Min(_cursor + Ticks(seconds), _cursor + _step));
    }

    private void Due(long at)
    {
        _due = at;
        _cursor = at;
        _credit = 0;
    }

    private double RateAt(long ticks) =>
        _shape.RateAt(_offset + TimeSpan.FromTicks((long)Math.Round(ticks * (TimeSpan.TicksPerSecond / _frequency))));

    private long Ticks(double seconds) => (long)Math.Round(seconds * _frequency);
}
