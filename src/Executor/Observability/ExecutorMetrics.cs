using PerfTest.Executor.Grpc;
using Prometheus;

namespace PerfTest.Executor.Observability;

/// <summary>
/// A standalone executor's own /metrics: the VUs, requests and bytes of the plans it runs, per case run, from the
/// seconds it sends its control plane (so they add up, over the executors, to the control plane's figures).
/// </summary>
public sealed class ExecutorMetrics
{
    private static readonly string[] RunLabels = ["task_run_id", "case_run_id"];

    private readonly Gauge _vus;
    private readonly Counter _requests;
    private readonly Counter _sent;
    private readonly Counter _received;
    private readonly Gauge _plans;

    public ExecutorMetrics(TimeProvider clock, TimeSpan retention)
    {
        Retention = new SeriesRetention(clock, retention);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _vus = factory.CreateGauge("perftest_executor_virtual_users", "VUs of the case run on this executor, at its last second.", RunLabels);
        _requests = factory.CreateCounter("perftest_executor_requests_total", "Requests this executor made for the case run, by outcome.",
            [.. RunLabels, "outcome"]);
        _sent = factory.CreateCounter("perftest_executor_bytes_sent_total", "Bytes this executor sent for the case run.", RunLabels);
        _received = factory.CreateCounter("perftest_executor_bytes_received_total", "Bytes this executor received for the case run.", RunLabels);
        _plans = factory.CreateGauge("perftest_executor_plans", "Plans running on this executor (orphaned ones included).");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public SeriesRetention Retention { get; }

    /// <summary>Counts one second of a plan (called once per second sent, before any resend).</summary>
    public void Observe(RunPlan plan, SecondSnapshot second)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(second);
        string[] run = [plan.TaskRunId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            plan.CaseRunId.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Set(plan.CaseRunId, _vus, run).Set(second.VirtualUsers);
        if (SecondFigures.CaseStats(second) is { } stats)
        {
            for (var i = 0; i < stats.Outcomes.Count; i++)
            {
                if (stats.Outcomes[i] > 0)
                {
                    Set(plan.CaseRunId, _requests, [.. run, SecondFigures.OutcomeLabel(i)]).Inc(stats.Outcomes[i]);
                }
            }
            Set(plan.CaseRunId, _sent, run).Inc(stats.BytesSent);
            Set(plan.CaseRunId, _received, run).Inc(stats.BytesReceived);
        }
        if (second.Final)
        {
            Set(plan.CaseRunId, _vus, run).Set(0);
            Retention.Ended(plan.CaseRunId);
        }
    }

    /// <summary>The number of plans running here now.</summary>
    public void Plans(int count) => _plans.Set(count);

    private TChild Set<TChild>(long caseRunId, Collector<TChild> collector, string[] labels) where TChild : ChildBase
    {
        Retention.Track(caseRunId, collector, labels);
        return collector.WithLabels(labels);
    }
}
