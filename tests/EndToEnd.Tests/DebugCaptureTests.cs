using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>A debug run keeps at most Debug:MaxCaptureBytes of an answer, cut while reading, and says so.</summary>
public sealed class DebugCaptureTests : IAsyncLifetime
{
    private const int Cap = 1000;
    private const long Streamed = 64L * 1024 * 1024;
    private TargetServer _target = null!;
    private ControlPlaneServer _server = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Debug:MaxCaptureBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    /// <summary>Debugs a case of one GET of <paramref name="path"/> on the target; its one exchange.</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> DebugAsync(string path)
    {
        var run = new RunHarness(_server);
        var c = await run.CreateAsync(new Uri(_target.BaseAddress, path).ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 1, "pressure_mode": 0, "issue_num": 1 } ]""");
        var r = await run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        return r.Object["result"]!.AsArray().Single()!;
    }

    [Fact]
    public async Task A_64_MiB_chunked_body_comes_back_cut_to_the_cap_with_the_bytes_seen()
    {
        var result = await DebugAsync("/huge/64");
        Assert.Equal(1, result["result"]!.GetValue<int>());
        Assert.Equal(new string('x', Cap), result["returnBody"]!.GetValue<string>());
        Assert.True(result["returnBodyTruncated"]!.GetValue<bool>());
        Assert.Equal(Streamed, result["returnBodyBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_body_within_the_cap_comes_back_whole_and_not_marked()
    {
        var result = await DebugAsync("/ok");
        Assert.Equal("ok", result["returnBody"]!.GetValue<string>());
        Assert.False(result["returnBodyTruncated"]!.GetValue<bool>());
        Assert.Equal(2, result["returnBodyBytes"]!.GetValue<long>());
    }
}
