using System.Text.Json.Nodes;
using System.Xml.Linq;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Cli.Tests;

/// <summary><c>perftest run</c> end to end: a real run on the embedded executor against the loopback target.</summary>
public sealed class RunTests(ITestOutputHelper log) : CliTestBase
{
    private async Task ApplyAsync(int seconds = 2)
    {
        var r = await CliAsync("apply", "-f", File("shop.yaml", ShopYaml(seconds)));
        Assert.True(r.Exit == 0, r.ToString());
    }

    [Fact]
    public async Task Passing_thresholds_exit_0_and_the_JUnit_and_JSON_files_hold_the_report_figures()
    {
        await ApplyAsync();
        var junit = Path.Combine(Dir, "junit.xml");
        var json = Path.Combine(Dir, "result.json");
        var r = await CliAsync("run", "smoke", "--threshold", "tp99<5000", "--threshold", "success_rate>=99.9",
            "--threshold", "get-ok:requests>0", "--junit", junit, "--json", json);
        log.WriteLine(r.ToString());
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("started task smoke", r.Out);
        Assert.Matches(@"\[\s+\d+s\] home: tps [0-9.]+ +avg [0-9.]+ ms", r.Out);
        Assert.Contains("passed", r.Out);

        var result = JsonNode.Parse(System.IO.File.ReadAllText(json))!;
        Assert.True(result["passed"]!.GetValue<bool>());
        Assert.Equal(0, result["exit_code"]!.GetValue<int>());
        Assert.Equal(2, result["run_status"]!.GetValue<int>());
        var requests = result["cases"]![0]!["performance"]!["requests"]!.GetValue<long>();
        Assert.Equal(Target.Requests, requests);
        Assert.Equal(Target.Requests, result["cases"]![0]!["requests"]![0]!["requests"]!.GetValue<long>());
        Assert.Equal(3, result["thresholds"]!.AsArray().Count);
        Assert.Equal(requests, result["thresholds"]![2]!["value"]!.GetValue<double>());

        // the figures are the v1 report's
        var runId = result["task_run_id"]!.GetValue<long>();
        var caseRun = result["cases"]![0]!["case_run_id"]!.GetValue<long>();
        var report = await Api.ReportAsync(runId, caseRun);
        Assert.Equal(EndToEnd.Tests.RunHarness.Performance(report)["tp99"]!.GetValue<double>(),
            result["cases"]![0]!["performance"]!["tp99"]!.GetValue<double>());

        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.Equal("3", suite.Attribute("tests")!.Value);
        Assert.Equal("0", suite.Attribute("failures")!.Value);
        Assert.Equal(["tp99<5000", "success_rate>=99.9", "get-ok:requests>0"],
            suite.Elements("testcase").Select(t => t.Attribute("name")!.Value));
        Assert.Empty(suite.Descendants("failure"));
    }

    [Fact]
    public async Task A_broken_threshold_exits_99_with_the_measured_value_in_the_JUnit_failure()
    {
        await ApplyAsync();
        var junit = Path.Combine(Dir, "junit.xml");
        var r = await CliAsync("run", "smoke", "--threshold", "requests<1", "--threshold", "error_rate<=0", "--junit", junit);
        log.WriteLine(r.ToString());
        Assert.True(r.Exit == 99, r.ToString());
        Assert.Contains("1 threshold(s) broken", r.Out);
        var failure = Assert.Single(XDocument.Load(junit).Descendants("failure"));
        Assert.Equal($"requests = {Target.Requests}, which is not < 1", failure.Attribute("message")!.Value);
        Assert.Equal("requests<1", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal("perftest.smoke.home", failure.Parent!.Attribute("classname")!.Value);
    }

    [Fact]
    public async Task Without_wait_the_run_starts_and_the_CLI_returns_at_once_then_stop_and_report_work()
    {
        await ApplyAsync(seconds: 60);
        var r = await CliAsync("run", "smoke");
        Assert.True(r.Exit == 0, r.ToString());
        var runId = long.Parse(r.Out.Trim().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await Target.FirstRequest;

        var ls = await CliAsync("ls");
        Assert.True(ls.Exit == 0, ls.ToString());
        Assert.Contains("shop", ls.Out);
        Assert.Contains("running", ls.Out);

        var stop = await CliAsync("stop", "smoke");
        Assert.True(stop.Exit == 0, stop.ToString());
        Assert.Contains($"run {runId}", stop.Out);
        await WaitForEndAsync("smoke");

        var html = Path.Combine(Dir, "r.html");
        var report = await CliAsync("report", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--html", html);
        Assert.True(report.Exit == 0, report.ToString());
        Assert.Contains("stopped", report.Out);
        Assert.Contains("get-ok", report.Out);
        Assert.Contains("perftest-report", System.IO.File.ReadAllText(html));
    }

    [Fact]
    public async Task A_task_that_does_not_exist_exits_3_and_says_so()
    {
        var byName = await CliAsync("run", "nope", "--wait");
        Assert.Equal(3, byName.Exit);
        Assert.Contains("no task named \"nope\"", byName.Error);
        var byId = await CliAsync("run", "987654");
        Assert.Equal(3, byId.Exit);
        Assert.Contains("CPTS.04040001", byId.Error);
        var usage = await CliAsync("run", "smoke", "--threshold", "p99<3");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("unknown metric p99", usage.Error);
        Assert.Equal(2, (await CliAsync("run")).Exit);
    }

    [Fact]
    public async Task A_task_the_API_refuses_to_start_exits_3_with_the_API_message()
    {
        var file = File("nostage.yaml", $$"""
            project: { name: p }
            tasks:
              - name: broken
                cases:
                  - name: c
                    requests: [ { name: r, url: "{{new Uri(Target.BaseAddress, "/ok")}}" } ]
            """);
        Assert.Equal(0, (await CliAsync("apply", "-f", file)).Exit);
        var r = await CliAsync("run", "broken", "--threshold", "tp99<300");
        Assert.True(r.Exit == 3, r.ToString());
        Assert.Contains("400", r.Error);
        Assert.Contains("cannot run", r.Error);
        Assert.Equal(0, Target.Requests);
    }

    [Fact]
    public async Task An_interrupt_stops_the_run_through_the_API_waits_for_its_end_and_exits_130()
    {
        await ApplyAsync(seconds: 120);
        using var interrupt = new CancellationTokenSource();
        _ = Target.FirstRequest.ContinueWith(_ => interrupt.Cancel(), TaskScheduler.Default);
        var r = await CliAsync(interrupt.Token, "run", "smoke", "--wait", "--json", Path.Combine(Dir, "r.json"));
        log.WriteLine(r.ToString());
        Assert.True(r.Exit == 130, r.ToString());
        Assert.Contains("interrupted: stopping task smoke", r.Error);
        var result = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Dir, "r.json")))!;
        Assert.Equal(4, result["run_status"]!.GetValue<int>());
        Assert.Equal(130, result["exit_code"]!.GetValue<int>());
    }
}
