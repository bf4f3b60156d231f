using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// The report while a run goes, in anonymous dev mode: <c>live</c>, points that grow as the seconds come in, and
/// <c>since</c> as the page polls it; then the same run stopped.
/// </summary>
public sealed class ConsoleLiveReportTests
{
    private const string Tenant = "live";

    /// <summary>Polls the report until it holds <paramref name="points"/> points (the executor sends each second after it ends).</summary>
    private static async Task<JsonObject> ReportWithPointsAsync(ControlPlaneServer server, long taskRunId, int points)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var r = await server.Http.GetJsonAsync($"/v1/{Tenant}/console/task-runs/{taskRunId}");
            Assert.True(r.Status == 200, r.Text);
            if (r.Object["cases"]![0]!["points"]!["t"]!.AsArray().Count >= points)
            {
                return r.Object;
            }
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {points} points in 30 s: {r.Text}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task While_a_run_goes_its_report_is_live_and_since_answers_only_the_newest_points()
    {
        await using var target = await ConsoleRuns.StartTargetAsync();
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        var runs = new ConsoleRuns(server, _ => { });
        var created = await runs.CreateAsync(Tenant, new Uri(ConsoleRuns.AddressOf(target), "/ok").ToString(), seconds: 120);
        var taskRunId = await runs.SetStatusAsync(Tenant, created, 9);

        var report = await ReportWithPointsAsync(server, taskRunId, 3);
        Assert.True(report["task_run"]!["live"]!.GetValue<bool>());
        Assert.Null(report["task_run"]!["end_time"]);
        Assert.True(RunStatus.IsActive(report["task_run"]!["run_status"]!.GetValue<int>()));
        var t = report["cases"]![0]!["points"]!["t"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(0, t.Count).Select(i => t[0] + i), t);  // one point per second, none missing

        var later = await ReportWithPointsAsync(server, taskRunId, t.Count + 1);
        var since = later["cases"]![0]!["points"]!["t"]![t.Count - 1]!.GetValue<long>();
        var tail = await server.Http.GetJsonAsync($"/v1/{Tenant}/console/task-runs/{taskRunId}?since={since}");
        var tailT = tail.Object["cases"]![0]!["points"]!["t"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        Assert.NotEmpty(tailT);
        Assert.Equal(since, tailT[0]);
        Assert.All(tailT, s => Assert.True(s >= since));
        Assert.Equal(tailT.Count, tail.Object["cases"]![0]!["points"]!["tp99"]!.AsArray().Count);

        await runs.SetStatusAsync(Tenant, created, 2);
        await runs.WaitAsync(created);
        var stopped = (await server.Http.GetJsonAsync($"/v1/{Tenant}/console/task-runs/{taskRunId}")).Object;
        Assert.False(stopped["task_run"]!["live"]!.GetValue<bool>());
        Assert.Equal(RunStatus.StoppedByUser, stopped["task_run"]!["run_status"]!.GetValue<int>());
        Assert.True(stopped["cases"]![0]!["performance"]!["requests"]!.GetValue<long>() > 0);
    }
}
