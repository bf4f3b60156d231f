using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// One real run (3 s, 2 VUs, against a loopback target) under tenant "alpha", read through the console's report and
/// compared with the v1 report of the same case run, with the seconds the executor sent, and across tenants.
/// </summary>
public sealed class ConsoleReportRun : IAsyncLifetime
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";

    /// <summary>A task name that would end the export's data block, were it not escaped.</summary>
    public const string HostileName = "</script><script>alert(1)</script> & <!-- 'x'";

    private WebApplication _target = null!;

    public ControlPlaneServer Server { get; private set; } = null!;
    public long TaskRunId { get; private set; }
    public long CaseRunId { get; private set; }

    public static void AsAlpha(HttpRequestMessage m) => m.Headers.Add("X-Auth-Token", "tok-alpha");

    public static void AsBeta(HttpRequestMessage m) => m.Headers.Add("X-Auth-Token", "tok-beta");

    public async Task InitializeAsync()
    {
        _target = await ConsoleRuns.StartTargetAsync();
        Server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Auth:Tokens:0:Token"] = "tok-alpha",
            ["Auth:Tokens:0:ProjectIds:0"] = Alpha,
            ["Auth:Tokens:1:Token"] = "tok-beta",
            ["Auth:Tokens:1:ProjectIds:0"] = Beta,
        }), services: PlaceholderAssets.Register);
        var runs = new ConsoleRuns(Server, AsAlpha);
        TaskRunId = await runs.RunAsync(Alpha, new Uri(ConsoleRuns.AddressOf(_target), "/ok").ToString(), HostileName);
        var report = await runs.SendAsync(HttpMethod.Get, $"/v1/{Alpha}/console/task-runs/{TaskRunId}");
        CaseRunId = report["cases"]![0]!["case_run_id"]!.GetValue<long>();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _target.DisposeAsync();
    }

    public async Task<ApiResponse> GetAsync(string path, Action<HttpRequestMessage>? credentials = null) =>
        await Server.Http.SendJsonAsync(HttpMethod.Get, path, configure: credentials ?? AsAlpha);
}

public sealed class ConsoleReportTests(ConsoleReportRun run) : IClassFixture<ConsoleReportRun>
{
    private async Task<JsonObject> ConsoleCaseAsync(string query = "")
    {
        var r = await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId}{query}");
        Assert.True(r.Status == 200, r.Text);
        return r.Object["cases"]![0]!.AsObject();
    }

    private async Task<JsonObject> V1ReportAsync()
    {
        var r = await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/task-run-infos/{run.TaskRunId}/case-run-infos/{run.CaseRunId}/reports?brokens_limit_count=100000");
        Assert.True(r.Status == 200, r.Text);
        return r.Object["result"]!.AsObject();
    }

    private static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public async Task The_task_run_is_described_and_ended()
    {
        var r = await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId}");
        var taskRun = r.Object["task_run"]!;

        Assert.Equal(run.TaskRunId, taskRun["id"]!.GetValue<long>());
        Assert.Equal(ConsoleReportRun.HostileName, taskRun["task_name"]!.GetValue<string>());
        Assert.Equal(RunStatus.Ended, taskRun["run_status"]!.GetValue<int>());
        Assert.False(taskRun["live"]!.GetValue<bool>());
        Assert.NotNull(taskRun["end_time"]);
        Assert.Single(r.Object["cases"]!.AsArray());
        Assert.Equal(1, r.Object["cases"]![0]!["resolution"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_table_equals_the_v1_report_of_the_case_run()
    {
        var console = await ConsoleCaseAsync();
        var v1 = await V1ReportAsync();
        var data = v1["details"]!["data"]![0]!;

        Assert.True(console["performance"]!["requests"]!.GetValue<long>() > 10, console["performance"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(data["performance"], console["performance"]), $"{data["performance"]}\n{console["performance"]}");
        Assert.True(JsonNode.DeepEquals(data["detailDatas"], console["requests"]));
        Assert.True(JsonNode.DeepEquals(data["customTransactions"], console["transactions"]));
        Assert.True(JsonNode.DeepEquals(v1["respTimeRange"], console["resp_time_range"]));
        var outline = v1["outline"]!.DeepClone().AsObject();
        var groupChanges = outline["group_changes"]!.DeepClone();
        outline.Remove("group_changes");
        Assert.True(JsonNode.DeepEquals(outline, console["outline"]), $"{outline}\n{console["outline"]}");
        Assert.True(JsonNode.DeepEquals(groupChanges, console["group_changes"]));
        Assert.NotNull(console["outline"]!["stage_results"]);
    }

    [Fact]
    public async Task Each_point_counts_what_the_v1_curves_count()
    {
        var points = (await ConsoleCaseAsync())["points"]!;
        var brokens = (await V1ReportAsync())["brokens"]!;

        var stamps = brokens["commonTimestamps"]!.AsArray().Select(s => DateTimeOffset.ParseExact(s!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds()).ToArray();
        Assert.True(stamps.Length >= 3, brokens.ToJsonString());
        Assert.Equal(stamps, points["t"]!.AsArray().Select(t => t!.GetValue<long>()));
        Assert.Equal(Numbers(brokens["tps_brokens"]!["tps"]), Numbers(points["tps"]));
        Assert.Equal(Numbers(brokens["tps_brokens"]!["average"]), Numbers(points["avg_ms"]));
        Assert.Equal(Numbers(brokens["vusers_brokens"]!["vusers"]), Numbers(points["vusers"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["success"]), Numbers(points["success"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["timeout"]), Numbers(points["timeout"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["refusedFailed"]), Numbers(points["refused"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["othersFailed"]), Numbers(points["other_failed"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["checkPointFailed"]), Numbers(points["checkpoint_failed"]));
        Assert.Equal(Numbers(brokens["respcode_brokens"]!["parsedFailed"]), Numbers(points["parse_failed"]));
        Assert.Equal(Numbers(brokens["brand_brokens"]!["sentBytes"]), Numbers(points["sent_bytes"]));
        Assert.Equal(Numbers(brokens["brand_brokens"]!["recBytes"]), Numbers(points["received_bytes"]));
    }

    [Fact]
    public async Task Each_points_percentiles_are_those_of_its_seconds_histograms_merged()
    {
        var points = (await ConsoleCaseAsync())["points"]!;
        var seconds = await run.Server.App.Services.GetRequiredService<RunStore>().ListSecondsAsync(run.CaseRunId);

        var t = points["t"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        foreach (var (name, percent) in new[] { ("tp50", 50.0), ("tp90", 90.0), ("tp99", 99.0) })
        {
            var expected = t.Select(second =>
            {
                var merged = new MetricAggregate();
                foreach (var row in seconds.Where(s => s.UnixSecond == second))
                {
                    var stats = SecondSnapshot.Parser.ParseFrom(row.Snapshot).Keys.First(k => k.Key == KeySnapshot.CaseKey);
                    merged.Add(SnapshotMapper.FromProto(stats));
                }
                return Math.Round(merged.Percentile(percent), 3);
            }).ToArray();
            Assert.Equal(expected, Numbers(points[name]));
        }
        Assert.Contains(Numbers(points["tp99"]), v => v > 0);
    }

    [Fact]
    public async Task Since_keeps_the_points_from_that_second_on()
    {
        var all = (await ConsoleCaseAsync())["points"]!.AsObject();
        var t = all["t"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        var since = t[1];

        var tail = (await ConsoleCaseAsync($"?since={since}"))["points"]!.AsObject();

        foreach (var (name, column) in all)
        {
            var expected = new JsonArray(column!.AsArray().Skip(1).Select(v => v!.DeepClone()).ToArray());
            Assert.True(JsonNode.DeepEquals(expected, tail[name]), $"{name}: {expected} vs {tail[name]}");
        }
        var none = (await ConsoleCaseAsync($"?since={t[^1] + 1}"))["points"]!;
        Assert.Empty(none["t"]!.AsArray());
        Assert.Equal(400, (await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId}?since=x")).Status);
    }

    [Fact]
    public async Task Another_tenants_run_is_not_found_and_its_project_forbidden()
    {
        var other = await run.GetAsync($"/v1/{ConsoleReportRun.Beta}/console/task-runs/{run.TaskRunId}", ConsoleReportRun.AsBeta);
        Assert.Equal(404, other.Status);
        Assert.Equal("CPTS.04040001", other.Object["error_code"]!.GetValue<string>());
        Assert.Equal($"task run {run.TaskRunId} does not exist", other.Object["error_msg"]!.GetValue<string>());
        Assert.Equal(404, (await run.GetAsync($"/v1/{ConsoleReportRun.Beta}/task-run-infos/{run.TaskRunId}/reports/html", ConsoleReportRun.AsBeta)).Status);
        Assert.Equal(404, (await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId + 1000}")).Status);

        var forbidden = await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId}", ConsoleReportRun.AsBeta);
        Assert.Equal(403, forbidden.Status);

        var identity = await run.GetAsync("/console/api/identity", ConsoleReportRun.AsBeta);
        Assert.Equal("""{"caller":"token","any_project":false,"project_ids":["beta"]}""", identity.Text);
    }

    [Fact]
    public async Task The_html_export_is_one_file_with_the_report_inlined_and_escaped()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{ConsoleReportRun.Alpha}/task-run-infos/{run.TaskRunId}/reports/html");
        ConsoleReportRun.AsAlpha(request);
        using var response = await run.Server.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"attachment; filename=\"perftest-run-{run.TaskRunId}.html\"", response.Content.Headers.ContentDisposition!.ToString());
        // The hostile task name never appears raw: not in the title (HTML-encoded) nor in the data block (\u003C...).
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!-- 'x'", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)", html, StringComparison.Ordinal);
        // Each file inlined once, in order, report.js's own closing tag in a string defused.
        var order = new[] { "placeholder uPlot.min.css", "placeholder console.css", "id=\"perftest-report\"", "placeholder uPlot.iife.min.js",
            "placeholder report.js", "PerfTestReport.renderStandalone();" }.Select(m => html.IndexOf(m, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains("return '<\\/script>';", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);

        // The data block is the report itself: the hostile name comes back whole.
        const string open = "<script type=\"application/json\" id=\"perftest-report\">";
        var start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var data = JsonNode.Parse(html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)])!;
        Assert.Equal(ConsoleReportRun.HostileName, data["task_run"]!["task_name"]!.GetValue<string>());
        var live = await run.GetAsync($"/v1/{ConsoleReportRun.Alpha}/console/task-runs/{run.TaskRunId}");
        Assert.True(JsonNode.DeepEquals(live.Body, data));
    }
}
