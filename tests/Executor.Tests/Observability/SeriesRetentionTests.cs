using PerfTest.Executor.Grpc;
using PerfTest.Executor.Observability;
using Xunit;

namespace PerfTest.Executor.Tests.Observability;

/// <summary>A case run's series stay for the retention after its final second, then go at the next scrape; a running one's stay.</summary>
public sealed class SeriesRetentionTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static SecondSnapshot Second(int vus, long requests, bool final = false) => new()
    {
        VirtualUsers = vus, Final = final,
        Keys = { new KeyStats { Key = -1, Requests = requests, Outcomes = { requests, 0, 0, 0, 0, 0 }, BytesSent = 10 * requests } },
    };

    private static async Task<string> ScrapeAsync(ExecutorMetrics metrics)
    {
        metrics.Retention.Sweep();
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task An_ended_case_runs_series_go_after_the_retention_and_a_running_ones_stay()
    {
        var clock = new ManualClock();
        var metrics = new ExecutorMetrics(clock, TimeSpan.FromSeconds(60));
        var ended = new RunPlan { TaskRunId = 1, CaseRunId = 11 };
        var running = new RunPlan { TaskRunId = 2, CaseRunId = 22 };
        metrics.Observe(ended, Second(5, 100));
        metrics.Observe(ended, Second(0, 20, final: true));
        metrics.Observe(running, Second(3, 7));

        var atEnd = await ScrapeAsync(metrics);
        Assert.Contains("""perftest_executor_requests_total{task_run_id="1",case_run_id="11",outcome="success"} 120""", atEnd, StringComparison.Ordinal);
        Assert.Contains("""perftest_executor_virtual_users{task_run_id="1",case_run_id="11"} 0""", atEnd, StringComparison.Ordinal);
        Assert.Contains("""perftest_executor_bytes_sent_total{task_run_id="1",case_run_id="11"} 1200""", atEnd, StringComparison.Ordinal);

        clock.Now += TimeSpan.FromSeconds(59);
        Assert.Contains("case_run_id=\"11\"", await ScrapeAsync(metrics), StringComparison.Ordinal);

        clock.Now += TimeSpan.FromSeconds(1);
        var after = await ScrapeAsync(metrics);
        Assert.DoesNotContain("case_run_id=\"11\"", after, StringComparison.Ordinal);
        Assert.Contains("""perftest_executor_requests_total{task_run_id="2",case_run_id="22",outcome="success"} 7""", after, StringComparison.Ordinal);
        Assert.Contains("""perftest_executor_virtual_users{task_run_id="2",case_run_id="22"} 3""", after, StringComparison.Ordinal);
    }
}
