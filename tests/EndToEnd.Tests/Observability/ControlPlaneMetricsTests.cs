using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>
/// A real run on a real control plane that requires a token, then a scrape of its /metrics on a port of its own,
/// without the token: the counters are the report's figures.
/// </summary>
public sealed class ControlPlaneMetricsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "metrics-token";
    private readonly int _metricsPort = ExecutorProcess.FreePort();
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;
    private RunHarness _run = null!;

    /// <summary>No credentials: a scraper has none.</summary>
    private readonly HttpClient _scraper = new();

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Auth:Tokens:0:Token"] = Token,
            ["Auth:Tokens:0:ProjectIds:0"] = RunHarness.Tenant,
            ["Metrics:Port"] = $"{_metricsPort}",
        }));
        _server.Http.DefaultRequestHeaders.Add("X-Auth-Token", Token);
        _run = new RunHarness(_server);
    }

    public async Task DisposeAsync()
    {
        _scraper.Dispose();
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await _scraper.GetAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics"));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_case_runs_requests_total_and_histogram_count_equal_its_reports_requests()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 3 } ]""");
        var taskRun = await _run.StartAsync(c);
        await _run.WaitAsync(c);
        var caseRun = await _run.CaseRunIdAsync(c);
        var requests = RunHarness.Performance(await _run.ReportAsync(taskRun, caseRun))["requests"]!.GetValue<long>();

        var scrape = await ScrapeAsync();
        (string, string)[] ours = [("case_run_id", $"{caseRun}"), ("task_run_id", $"{taskRun}"), ("task_id", $"{c.Task}"), ("project", RunHarness.Tenant)];
        var byOutcome = scrape.Of("perftest_requests_total", ours).ToList();
        output.WriteLine($"report requests {requests}; metrics {string.Join(", ", byOutcome.Select(s => $"{s.Label("outcome")}={s.Value}"))}");
        Assert.True(requests > 100, $"only {requests} requests");
        Assert.Equal(requests, byOutcome.Sum(s => s.Value));
        Assert.Equal(requests, byOutcome.Single(s => s.Label("outcome") == "success").Value);
        Assert.Equal(requests, scrape.Of("perftest_request_duration_seconds_count", ours).Single().Value);
        Assert.Equal(requests, scrape.Of("perftest_request_duration_seconds_bucket", [.. ours, ("le", "+Inf")]).Single().Value);
        Assert.Equal("histogram", scrape.Types["perftest_request_duration_seconds"]);
        Assert.True(scrape.Of("perftest_bytes_received_total", ours).Single().Value > 0);
        Assert.True(scrape.Of("perftest_bytes_sent_total", ours).Single().Value > 0);
        Assert.Equal(0, scrape.Of("perftest_virtual_users", ours).Single().Value);  // ended
        Assert.Equal(1, scrape.Of("perftest_case_run_executors", [.. ours, ("state", "finished")]).Single().Value);
        Assert.Equal(0, scrape.Of("perftest_case_run_executors", [.. ours, ("state", "lost")]).Single().Value);
        Assert.True(scrape.Of("perftest_store_commit_duration_seconds_count").Single().Value > 0);
        Assert.True(scrape.Of("perftest_store_seconds_total").Single().Value >= 3);
    }

    [Fact]
    public async Task The_metrics_port_serves_only_metrics_and_the_api_port_no_metrics()
    {
        using var api = await _scraper.GetAsync(new Uri(_server.BaseAddress, "/metrics"));
        Assert.Equal(404, (int)api.StatusCode);
        using var probe = await _scraper.GetAsync(new Uri($"http://127.0.0.1:{_metricsPort}/healthz/live"));
        Assert.Equal(404, (int)probe.StatusCode);
        using var projects = await _scraper.GetAsync(new Uri($"http://127.0.0.1:{_metricsPort}/v1/{RunHarness.Tenant}/test-suites"));
        Assert.Equal(404, (int)projects.StatusCode);
        // The API itself still wants its token.
        using var unsigned = await _scraper.GetAsync(new Uri(_server.BaseAddress, $"/v1/{RunHarness.Tenant}/test-suites"));
        Assert.Equal(401, (int)unsigned.StatusCode);
        Assert.Contains("perftest_store_commit_duration_seconds", (await ScrapeAsync()).Types.Keys);
    }
}
