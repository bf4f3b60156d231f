using PerfTest.Executor.Grpc;

namespace PerfTest.Executor.Running;

/// <summary>
/// The stages a plan started on this executor, in order: where each second's stage_index, stage_iterations and
/// stage_started_unix_ms come from. A joining executor's log starts at the stage it joined (the earlier ones never
/// ran here). Thread-safe: the stage loop adds, the ticker reads.
/// </summary>
internal sealed class StageLog
{
    private readonly List<Entry> _entries = [];

    /// <summary>Notes that stage <paramref name="stageIndex"/> started in <paramref name="startSecond"/>, on a clock that
    /// started at <paramref name="clockStartedUnixMs"/> (its own start, or the group's for a joined stage).</summary>
    public void Started(int stageIndex, long startSecond, long clockStartedUnixMs, StageContext context)
    {
        lock (_entries)
        {
            _entries.Add(new Entry(stageIndex, startSecond, clockStartedUnixMs, context));
        }
    }

    /// <summary>
    /// Fills a second's stage fields: the last stage that had started by that second (several in one second: the
    /// last; stage_index -1 before the first). Read from the stages' start seconds, not from which stage runs when the
    /// tick fires: a timed stage ends on the second boundary the ticker closes, so that would give its last second
    /// (or a one-second stage's only one) to the next stage, or to a stage past the last.
    /// </summary>
    public void Describe(SecondSnapshot snapshot)
    {
        var entry = At(snapshot.UnixSecond);
        snapshot.StageIndex = entry?.StageIndex ?? -1;
        snapshot.StageIterations = entry?.Context.Taken ?? 0;
        snapshot.StageStartedUnixMs = entry?.ClockStartedUnixMs ?? 0;
    }

    private Entry? At(long unixSecond)
    {
        lock (_entries)
        {
            for (var i = _entries.Count - 1; i >= 0; i--)
            {
                if (_entries[i].StartSecond <= unixSecond)
                {
                    return _entries[i];
                }
            }
            return null;
        }
    }

    private sealed record Entry(int StageIndex, long StartSecond, long ClockStartedUnixMs, StageContext Context);
}
