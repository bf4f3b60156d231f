using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// The target policy through the REST API, on a real control plane (embedded executor) and a real target that counts
/// what reaches it. Refusals use loopback put on the deny list, or localhost when loopback is refused; nothing here
/// connects to a link-local or metadata address.
/// </summary>
public sealed class TargetPolicyTests : IAsyncLifetime
{
    private const string DeniedProject = "e2e0000denied";
    private const string OneIteration = """[ { "operate_mode": 1, "count": 1, "pressure_mode": 0, "issue_num": 1 } ]""";
    private const string FiveIterations = """[ { "operate_mode": 1, "count": 5, "pressure_mode": 0, "issue_num": 1 } ]""";
    private const string DebugBody = """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""";

    private TargetServer _target = null!;

    public async Task InitializeAsync() => _target = await TargetServer.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    private string Url(string host = "127.0.0.1") => $"http://{host}:{_target.BaseAddress.Port}/ok";

    private static Task<ControlPlaneServer> StartAsync(Dictionary<string, string?> targets) =>
        ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(targets));

    /// <summary>Loopback allowed for the deployment; the target's own address refused for <see cref="DeniedProject"/> only.</summary>
    private static Dictionary<string, string?> ProjectDeniesTheTarget() => new()
    {
        ["Targets:Allow:0"] = "127.0.0.0/8",
        ["Targets:Projects:" + DeniedProject + ":Deny:0"] = "127.0.0.1",
    };

    private static async Task<ApiResponse> DebugAsync(RunHarness run, RunHarness.Created c) =>
        await run.Http.PostJsonAsync($"/v1/{run.ProjectId}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug", DebugBody);

    private static async Task<ApiResponse> StartRunAsync(RunHarness run, RunHarness.Created c) =>
        await run.Http.PostJsonAsync($"/v1/{run.ProjectId}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "shared-cluster-internet", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");

    /// <summary>The target counts a request once it has answered it, so a debug's reply may come first: wait (a hang guard).</summary>
    private Task ReachedAsync(long requests) => _target.WaitForRequestsAsync(requests).WaitAsync(TimeSpan.FromSeconds(30));

    private static string Message(ApiResponse r) => r.Object["error_msg"]?.GetValue<string>() ?? r.Text;

    [Fact]
    public async Task Debug_and_start_of_a_card_aimed_at_a_denied_address_are_400s_naming_the_card_and_the_address()
    {
        await using var server = await StartAsync(ProjectDeniesTheTarget());
        var denied = new RunHarness(server, DeniedProject);
        var c = await denied.CreateAsync(Url(), OneIteration);

        var debug = await DebugAsync(denied, c);
        var start = await StartRunAsync(denied, c);

        Assert.True(debug.Status == 400, debug.Text);
        Assert.True(start.Status == 400, start.Text);
        foreach (var refusal in new[] { debug, start })
        {
            Assert.Contains("contents[0].content[0] (req-1)", Message(refusal), StringComparison.Ordinal);
            Assert.Contains("127.0.0.1 is on the deny list", Message(refusal), StringComparison.Ordinal);
        }
        Assert.Equal(0, _target.Requests);

        // The deployment's allow still holds for another project: the same case debugs for real there.
        var other = new RunHarness(server);
        var allowed = await DebugAsync(other, await other.CreateAsync(Url(), OneIteration));
        Assert.True(allowed.Status == 200, allowed.Text);
        await ReachedAsync(1);
    }

    [Fact]
    public async Task A_name_resolving_to_a_denied_address_is_refused_at_connect_in_debug_and_in_a_run_and_sends_nothing()
    {
        await using var server = await StartAsync(new() { ["Targets:Deny:0"] = "127.0.0.0/8", ["Targets:Deny:1"] = "::1" });
        var run = new RunHarness(server);
        var c = await run.CreateAsync(Url("localhost"), FiveIterations);

        var debug = await DebugAsync(run, c);
        Assert.True(debug.Status == 200, debug.Text);
        var exchange = Assert.Single(debug.Object["result"]!.AsArray())!;
        Assert.Equal(0, exchange["result"]!.GetValue<int>());
        Assert.Matches(@"^refused by the target policy: localhost resolved to (127\.0\.0\.1|::1) is on the deny list$",
            exchange["errorReason"]!.GetValue<string>());

        var runId = await run.StartAsync(c);
        await run.WaitAsync(c);
        var performance = RunHarness.Performance(await run.ReportAsync(runId, await run.CaseRunIdAsync(c)));
        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["failedOthers"]!.GetValue<long>());
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default_with_credentials_and_allowed_in_anonymous_dev_mode()
    {
        // A Targets key of its own keeps the test server from allowing loopback; 192.0.2.1 (TEST-NET-1) is never dialled.
        var settings = new Dictionary<string, string?> { ["Targets:Deny:0"] = "192.0.2.1" };
        await using (var anonymous = await StartAsync(settings))
        {
            var run = new RunHarness(anonymous);
            var r = await DebugAsync(run, await run.CreateAsync(Url(), OneIteration));
            Assert.True(r.Status == 200, r.Text);
            await ReachedAsync(1);
        }

        settings["Auth:Tokens:0:Token"] = "e2e-token";
        settings["Auth:Tokens:0:ProjectIds:0"] = RunHarness.Tenant;
        await using var signed = await StartAsync(settings);
        signed.Http.DefaultRequestHeaders.Add("X-Auth-Token", "e2e-token");
        var signedRun = new RunHarness(signed);
        var refused = await DebugAsync(signedRun, await signedRun.CreateAsync(Url(), OneIteration));
        Assert.True(refused.Status == 400, refused.Text);
        Assert.Contains("127.0.0.1 is loopback and not allowed", Message(refused), StringComparison.Ordinal);
        Assert.Equal(1, _target.Requests);
    }
}
