using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>Without Metrics:Port, /metrics answers on the API's port, without the API's token; an ended case run's series go after the retention.</summary>
public sealed class MetricsRetentionTests : IAsyncLifetime
{
    private const string Token = "retention-token";
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Auth:Tokens:0:Token"] = Token,
            ["Auth:Tokens:0:ProjectIds:0"] = RunHarness.Tenant,
            ["Metrics:RetainEndedSeconds"] = "0",
        }));
        _server.Http.DefaultRequestHeaders.Add("X-Auth-Token", Token);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task With_no_retention_an_ended_case_runs_series_are_gone_at_the_next_scrape()
    {
        var run = new RunHarness(_server);
        var c = await run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 20, "pressure_mode": 0, "issue_num": 1 } ]""");
        await run.StartAsync(c);
        await run.WaitAsync(c);
        var caseRun = await run.CaseRunIdAsync(c);

        using var scraper = new HttpClient();  // no token
        using var response = await scraper.GetAsync(new Uri(_server.BaseAddress, "/metrics"));
        Assert.Equal(200, (int)response.StatusCode);
        var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(scrape.Samples, s => s.Label("case_run_id") == $"{caseRun}");
        Assert.Equal(20, _target.Requests);
        Assert.True(scrape.Of("perftest_store_seconds_total").Single().Value >= 1);
    }
}
