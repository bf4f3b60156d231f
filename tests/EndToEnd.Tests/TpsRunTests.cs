using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests;

/// <summary>TPS mode (open model) against a real local target: pacing accuracy and no coordinated omission.</summary>
public sealed class TpsRunTests(ITestOutputHelper output) : RunTestBase
{
    [Fact]
    public async Task At_500_tps_for_20_s_it_sends_10000_requests_and_every_second_holds_500()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 20, "pressure_mode": 1, "tps_value": 500, "issue_num": 50 } ]""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var report = await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
        var tps = RunHarness.Curve(report, "tps_brokens", "tps");
        var requests = RunHarness.Performance(report)["requests"]!.GetValue<long>();
        output.WriteLine($"requests {requests}, target {Target.Requests}, per second: {string.Join(" ", tps)}");
        Assert.InRange(requests, 9900, 10100);
        Assert.Equal(Target.Requests, requests);
        Assert.Equal(20, tps.Length);
        Assert.All(tps.Skip(1), point => Assert.InRange(point, 475, 525));
    }

    [Fact]
    public async Task ATarget_stalling_1_s_in_every_10_s_shows_in_tp99()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/stall").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 12, "pressure_mode": 1, "tps_value": 200, "issue_num": 20 } ]""");
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        var performance = RunHarness.Performance(await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c)));
        output.WriteLine($"tp50 {performance["tp50"]} tp90 {performance["tp90"]} tp99 {performance["tp99"]} max {performance["max"]} requests {performance["requests"]}");
        Assert.True(performance["tp99"]!.GetValue<double>() >= 500, $"tp99 is {performance["tp99"]} ms");
    }
}
