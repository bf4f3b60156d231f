namespace PerfTest.Metrics;

/// <summary>
/// Gil Tene's writer-reader phaser (the mechanism behind HdrHistogram's Recorder): writers enter
/// and leave with one atomic increment each; <see cref="Flip"/> returns once every writer that
/// entered before it has left.
/// </summary>
/// <remarks>
/// HdrHistogram.NET ships one, but its flip waits in a hot loop (Task.Yield().GetAwaiter().GetResult()
/// does not yield), which on a busy executor could burn a core while a preempted VU thread
/// finishes its write. This one backs off with <see cref="SpinWait"/>.
/// </remarks>
internal sealed class WriterPhaser
{
    // Even phase: start epoch counts up from 0; odd phase: from long.MinValue. The sign of the
    // token a writer gets tells which end epoch it must bump on leaving.
    private long _startEpoch;
    private long _evenEndEpoch;
    private long _oddEndEpoch = long.MinValue;

    public long Enter() => Interlocked.Increment(ref _startEpoch) - 1;

    public void Exit(long token)
    {
        if (token < 0)
        {
            Interlocked.Increment(ref _oddEndEpoch);
        }
        else
        {
            Interlocked.Increment(ref _evenEndEpoch);
        }
    }

    /// <summary>Callers must serialise flips; swap the writers' target before calling.</summary>
    public void Flip()
    {
        bool nextPhaseIsEven = Volatile.Read(ref _startEpoch) < 0;
        long initial = nextPhaseIsEven ? 0 : long.MinValue;
        if (nextPhaseIsEven)
        {
            Interlocked.Exchange(ref _evenEndEpoch, initial);
        }
        else
        {
            Interlocked.Exchange(ref _oddEndEpoch, initial);
        }

        long startAtFlip = Interlocked.Exchange(ref _startEpoch, initial);
        var spin = default(SpinWait);
        while ((nextPhaseIsEven ? Volatile.Read(ref _oddEndEpoch) : Volatile.Read(ref _evenEndEpoch)) != startAtFlip)
        {
            spin.SpinOnce();
        }
    }
}
