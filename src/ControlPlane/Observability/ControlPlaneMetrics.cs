using System.Globalization;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Observability;
using PerfTest.Metrics;
using Prometheus;

namespace PerfTest.ControlPlane.Observability;

/// <summary>
/// The control plane's /metrics: per case run, what its executors' seconds say, counted as each second is stored
/// (the same seconds the report reads, so <c>sum(perftest_requests_total)</c> of a case run is its report's
/// <c>requests</c>); its executors by state; and how long the stores of seconds take. Each case run's series go
/// <see cref="MetricsOptions.RetainEndedSeconds"/> after it ended (<see cref="SeriesRetention"/>).
/// </summary>
public sealed class ControlPlaneMetrics
{
    /// <summary>The histogram's fixed buckets, seconds: 1 ms to 1 minute.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>The store histogram's buckets, seconds: 0.5 ms to 5 s.</summary>
    public static IReadOnlyList<double> StoreBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private static readonly string[] RunLabels = ["project", "task_id", "task_run_id", "case_run_id"];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Gauge _vus;
    private readonly Counter _sent;
    private readonly Counter _received;
    private readonly Gauge _members;
    private readonly Gauge _executors;
    private readonly HashSet<long> _seenClusters = [];
    private readonly Histogram _store;
    private readonly Counter _storedRows;

    public ControlPlaneMetrics(MetricsOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Retention = new SeriesRetention(clock, TimeSpan.FromSeconds(Math.Max(0, options.RetainEndedSeconds)));
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _requests = f.CreateCounter("perftest_requests_total", "Requests of the case run, by outcome (the report's requests).", [.. RunLabels, "outcome"]);
        _duration = f.CreateHistogram("perftest_request_duration_seconds", "Response times of the case run's requests.",
            new HistogramConfiguration { LabelNames = RunLabels, Buckets = [.. LatencyBuckets] });
        _vus = f.CreateGauge("perftest_virtual_users", "VUs of the case run on each executor, at its last stored second.", [.. RunLabels, "executor"]);
        _sent = f.CreateCounter("perftest_bytes_sent_total", "Bytes the case run's requests sent.", RunLabels);
        _received = f.CreateCounter("perftest_bytes_received_total", "Bytes the case run's requests received.", RunLabels);
        _members = f.CreateGauge("perftest_case_run_executors", "Executors of the case run's group, by state (running, finished, drained, lost).",
            [.. RunLabels, "state"]);
        _executors = f.CreateGauge("perftest_executors", "Standalone executors registered in each private group: live (heartbeating) or lost (silent).",
            "cluster_id", "state");
        _store = f.CreateHistogram("perftest_store_commit_duration_seconds", "How long each commit of executor seconds took (one batch of rows).",
            new HistogramConfiguration { Buckets = [.. StoreBuckets] });
        _storedRows = f.CreateCounter("perftest_store_seconds_total", "Executor seconds stored (rows committed).");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public SeriesRetention Retention { get; }

    /// <summary>Counts one stored second of an executor (call once per second: not for one stored before).</summary>
    public void Stored(ActiveRun run, long caseRunId, string executor, SecondSnapshot second)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(second);
        var labels = Labels(run, caseRunId);
        Track(caseRunId, _vus, [.. labels, executor]).Set(second.VirtualUsers);
        if (SecondFigures.CaseStats(second) is not { } stats)
        {
            return;
        }
        for (var i = 0; i < stats.Outcomes.Count; i++)
        {
            if (stats.Outcomes[i] > 0)
            {
                Track(caseRunId, _requests, [.. labels, SecondFigures.OutcomeLabel(i)]).Inc(stats.Outcomes[i]);
            }
        }
        Track(caseRunId, _sent, labels).Inc(stats.BytesSent);
        Track(caseRunId, _received, labels).Inc(stats.BytesReceived);
        var duration = Track(caseRunId, _duration, labels);
        if (!stats.Histogram.IsEmpty && LatencyHistogram.Decode(stats.Histogram.ToByteArray()) is { } histogram)
        {
            // Each HdrHistogram bucket (within 0.1 %) is observed at its highest value: counts are exact, the sum close.
            foreach (var bucket in histogram.RecordedValues())
            {
                duration.Observe(bucket.ValueIteratedTo / 1_000_000.0, bucket.CountAddedInThisIterationStep);
            }
        }
    }

    /// <summary>The case run's group now: how many of its executors are in each state.</summary>
    public void Members(ActiveRun run, long caseRunId, IEnumerable<(string State, int Count)> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var labels = Labels(run, caseRunId);
        foreach (var (state, count) in states)
        {
            Track(caseRunId, _members, [.. labels, state]).Set(count);
        }
    }

    /// <summary>The case run ended: its VUs are 0 now, and its series go after the retention.</summary>
    public void Ended(ActiveRun run, long caseRunId)
    {
        var labels = Labels(run, caseRunId);
        foreach (var values in _vus.GetAllLabelValues().Where(v => v.AsSpan(0, labels.Length).SequenceEqual(labels)).ToList())
        {
            _vus.WithLabels(values).Set(0);
        }
        Retention.Ended(caseRunId);
    }

    /// <summary>The private groups' executors as the store has them now; a group seen before and absent now has 0 of each.</summary>
    public void Executors(IEnumerable<Executors.GroupCount> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var now = groups.ToDictionary(g => g.ClusterId);
        lock (_seenClusters)
        {
            _seenClusters.UnionWith(now.Keys);
            foreach (var cluster in _seenClusters)
            {
                var label = cluster.ToString(CultureInfo.InvariantCulture);
                _executors.WithLabels(label, "live").Set(now.TryGetValue(cluster, out var g) ? g.Live : 0);
                _executors.WithLabels(label, "lost").Set(g?.Lost ?? 0);
            }
        }
    }

    /// <summary>One commit of <paramref name="rows"/> seconds took <paramref name="elapsed"/>.</summary>
    public void StoreCommitted(TimeSpan elapsed, int rows)
    {
        _store.Observe(elapsed.TotalSeconds);
        _storedRows.Inc(rows);
    }

    private static string[] Labels(ActiveRun run, long caseRunId) =>
        [run.Tenant, run.TaskId.ToString(CultureInfo.InvariantCulture), run.TaskRunId.ToString(CultureInfo.InvariantCulture),
            caseRunId.ToString(CultureInfo.InvariantCulture)];

    private TChild Track<TChild>(long caseRunId, Collector<TChild> collector, string[] labels) where TChild : ChildBase
    {
        Retention.Track(caseRunId, collector, labels);
        return collector.WithLabels(labels);
    }
}
