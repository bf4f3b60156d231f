using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests;

/// <summary>TPS mode (open model) against a real local target: pacing accuracy and no coordinated omission.</summary>
public sealed class TpsRunTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;
    private RunHarness _run = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        _run = new RunHarness(_server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task At_500_tps_for_20_s_it_sends_10000_requests_and_every_second_holds_500()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 20, "pressure_mode": 1, "tps_value": 500, "issue_num": 50 } ]""");
        var runId = await _run.StartAsync(c);
        await _run.WaitAsync(c);
        var report = await _run.ReportAsync(runId, await _run.CaseRunIdAsync(c));
        var tps = RunHarness.Curve(report, "tps_brokens", "tps");
        var requests = RunHarness.Performance(report)["requests"]!.GetValue<long>();
        output.WriteLine($"requests {requests}, target {_target.Requests}, per second: {string.Join(" ", tps)}");
        Assert.InRange(requests, 9900, 10100);
        Assert.Equal(_target.Requests, requests);
        Assert.Equal(20, tps.Length);
        Assert.All(tps.Skip(1), point => Assert.InRange(point, 475, 525));
    }

    [Fact]
    public async Task A_target_stalling_1_s_in_every_10_s_shows_in_tp99()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/stall").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 12, "pressure_mode": 1, "tps_value": 200, "issue_num": 20 } ]""");
        var runId = await _run.StartAsync(c);
        await _run.WaitAsync(c);
        var performance = RunHarness.Performance(await _run.ReportAsync(runId, await _run.CaseRunIdAsync(c)));
        output.WriteLine($"tp50 {performance["tp50"]} tp90 {performance["tp90"]} tp99 {performance["tp99"]} max {performance["max"]} requests {performance["requests"]}");
        Assert.True(performance["tp99"]!.GetValue<double>() >= 500, $"tp99 is {performance["tp99"]} ms");
    }
}
