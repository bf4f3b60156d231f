using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor;
using Xunit;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>
/// A standalone executor (in this process, on its own ports) of a private group runs a case: its /metrics, on its
/// HTTP/1.1 health address, counts the requests it made, as many as the report and the control plane's /metrics (on
/// its own port, with the gRPC port on: both bind the API's addresses in code).
/// </summary>
public sealed class ExecutorMetricsTests : IAsyncLifetime
{
    private const string Secret = "metrics-shared-secret";
    private const long Group = 4;
    private readonly string _grpcUrl = $"http://127.0.0.1:{ExecutorProcess.FreePort()}";
    private readonly int _healthPort = ExecutorProcess.FreePort();

    /// <summary>The control plane's metrics port, beside its gRPC port (which binds the API's addresses itself).</summary>
    private readonly int _metricsPort = ExecutorProcess.FreePort();
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;
    private WebApplication _executor = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Executors:SharedSecret"] = Secret,
            ["Executors:GrpcUrl"] = _grpcUrl,
            ["Executors:HeartbeatSeconds"] = "1",
            ["Metrics:Port"] = $"{_metricsPort}",
        }));
        _executor = ExecutorProgram.Build(["--Urls", $"http://127.0.0.1:{ExecutorProcess.FreePort()}"], out var error, b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Executor:ControlPlaneUrl"] = _grpcUrl,
                ["Executor:SharedSecret"] = Secret,
                ["Executor:ClusterId"] = $"{Group}",
                ["Executor:Id"] = "metrics-executor",
                ["Executor:HealthUrl"] = $"http://127.0.0.1:{_healthPort}",
            });
            b.Logging.ClearProviders();
        }) ?? throw new InvalidOperationException(error);
        await _executor.StartAsync();
        await _server.App.Services.GetRequiredService<ExecutorRegistry>().WaitForGroupAsync(Group, 1).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _executor.StopAsync();
        await _executor.DisposeAsync();
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task The_executors_requests_total_equals_the_report_and_the_control_planes()
    {
        var run = new RunHarness(_server);
        var c = await run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 150, "pressure_mode": 0, "issue_num": 2 } ]""");
        var taskRun = await run.StartAsync(c, "private-cluster", Group);
        await run.WaitAsync(c);
        var caseRun = await run.CaseRunIdAsync(c);
        Assert.Equal(150, RunHarness.Performance(await run.ReportAsync(taskRun, caseRun))["requests"]!.GetValue<long>());

        using var scraper = new HttpClient();
        var executor = PrometheusText.Parse(await scraper.GetStringAsync(new Uri($"http://127.0.0.1:{_healthPort}/metrics")));
        (string, string)[] ours = [("case_run_id", $"{caseRun}"), ("task_run_id", $"{taskRun}")];
        Assert.Equal(150, executor.Of("perftest_executor_requests_total", ours).Sum(s => s.Value));
        Assert.True(executor.Of("perftest_executor_bytes_received_total", ours).Single().Value > 0);
        Assert.Equal(0, executor.Of("perftest_executor_virtual_users", ours).Single().Value);
        Assert.Equal(0, executor.Of("perftest_executor_plans").Single().Value);

        var controlPlane = PrometheusText.Parse(await scraper.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics")));
        Assert.Equal(150, controlPlane.Of("perftest_requests_total", ours).Sum(s => s.Value));
        Assert.Equal(1, controlPlane.Of("perftest_case_run_executors", [.. ours, ("state", "finished")]).Single().Value);
        Assert.Equal(1, controlPlane.Of("perftest_executors", ("cluster_id", $"{Group}"), ("state", "live")).Single().Value);
        Assert.Equal(0, controlPlane.Of("perftest_executors", ("cluster_id", $"{Group}"), ("state", "lost")).Single().Value);

        // Every metric the Grafana dashboard queries is in these real scrapes.
        var expressions = GrafanaDashboard.Expressions(GrafanaDashboard.Load());
        Assert.True(expressions.Count >= 8, $"{expressions.Count} expressions");
        var scraped = controlPlane.Names.Concat(executor.Names).ToHashSet(StringComparer.Ordinal);
        Assert.All(expressions, e =>
        {
            var names = GrafanaDashboard.MetricNames(e).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.True(scraped.Contains(n), $"{n} (in {e}) is not in a scrape"));
        });
    }
}
