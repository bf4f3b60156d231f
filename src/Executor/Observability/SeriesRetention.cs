using Prometheus;

namespace PerfTest.Executor.Observability;

/// <summary>
/// Keeps the number of series bounded: every labelled series of a case run is remembered, and some time after the case
/// run ends (<see cref="Retention"/>, long enough for the last scrapes to see its final values) all of them are removed.
/// Removal happens on a scrape (<see cref="Sweep"/>), so nothing runs on a timer.
/// </summary>
public sealed class SeriesRetention(TimeProvider clock, TimeSpan retention)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, CaseRunSeries> _byCaseRun = [];

    /// <summary>How long a case run's series stay after its end.</summary>
    public TimeSpan Retention { get; } = retention;

    /// <summary>Remembers that <paramref name="collector"/> has a series with these label values for the case run.</summary>
    public void Track<TChild>(long caseRunId, Collector<TChild> collector, string[] labelValues) where TChild : ChildBase
    {
        lock (_lock)
        {
            if (!_byCaseRun.TryGetValue(caseRunId, out var series))
            {
                _byCaseRun[caseRunId] = series = new CaseRunSeries();
            }
            series.Keys.TryAdd(new SeriesKey(collector, string.Join('\u0001', labelValues)), () => collector.RemoveLabelled(labelValues));
        }
    }

    /// <summary>The case run ended: its series go at the first sweep after <see cref="Retention"/>.</summary>
    public void Ended(long caseRunId)
    {
        lock (_lock)
        {
            if (_byCaseRun.TryGetValue(caseRunId, out var series))
            {
                series.EndedAt ??= clock.GetUtcNow();
            }
        }
    }

    /// <summary>Removes the series of the case runs that ended more than <see cref="Retention"/> ago.</summary>
    public void Sweep()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (caseRunId, series) in _byCaseRun.Where(p => p.Value.EndedAt + Retention <= now).ToList())
            {
                foreach (var remove in series.Keys.Values)
                {
                    remove();
                }
                _byCaseRun.Remove(caseRunId);
            }
        }
    }

    private sealed class CaseRunSeries
    {
        /// <summary>Each series, with how to remove it.</summary>
        public Dictionary<SeriesKey, Action> Keys { get; } = [];
        public DateTimeOffset? EndedAt { get; set; }
    }

    /// <summary>One series: its collector (compared by reference) and its label values joined.</summary>
    private sealed record SeriesKey(object Collector, string Joined);
}
