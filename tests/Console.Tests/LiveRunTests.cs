using System.Text.Json.Nodes;
using PerfTest.Console.Tests.Infrastructure;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.EndToEnd.Tests;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Console.Tests;

/// <summary>
/// The whole way through the pages in dev mode: a project and a task made with the forms, the task started from its
/// page, the report drawn live (a point a second) and, once the run has ended, the same numbers as the API's report.
/// </summary>
public sealed class LiveRunTests(DevConsole console, ITestOutputHelper output) : IClassFixture<DevConsole>
{
    private const string Tenant = DevConsole.Tenant;

    /// <summary>Long enough for several live points after the page has found the run; it ends by itself.</summary>
    private const int DurationSeconds = 12;

    [Fact]
    public async Task A_task_made_and_started_on_the_pages_reports_live_then_the_same_numbers_as_the_api()
    {
        await using var context = await console.NewContextAsync();
        var page = new ConsolePage(await context.NewPageAsync());
        var (projectId, taskId) = await CreateProjectAndTaskAsync(page);

        await page.ById("task-start").ClickAsync();
        var runId = await OpenNewRunAsync(page);
        await WatchLiveAsync(page, runId);
        await Screenshots.TakeAsync(page.Page, "report-live");

        var api = console.Api(Tenant);
        var created = new RunHarness.Created(projectId, taskId, 0);
        await api.WaitAsync(created);
        var report = await api.ReportAsync(runId, await api.CaseRunIdAsync(created));
        var requests = RunHarness.Performance(report)["requests"]!.GetValue<double>();
        output.WriteLine($"run {runId}: {requests} requests; target saw {console.Target.Requests}");
        Assert.True(requests > 0, "the run sent nothing");
        // The page's last refresh after the end shows the final totals.
        await page.WaitForFieldAsync("perf-table", "requests", requests, ConsolePage.Shown);
        await ReportAssert.SameAsApiAsync(page, report);
        await ReportAssert.ChartsDrawnAsync(page);
        Assert.False(string.IsNullOrWhiteSpace(await page.ById("report-status").InnerTextAsync()));
        await Screenshots.TakeAsync(page.Page, "report-finished");
        Assert.Empty(page.ScriptErrors);

        // The task page lists the run now.
        await page.OpenAsync($"/p/{Tenant}/tasks/{taskId}");
        await Microsoft.Playwright.Assertions.Expect(page.ById("run-row")).ToHaveCountAsync(1, new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        await Screenshots.TakeAsync(page.Page, "task");
    }

    /// <summary>The projects page's form, then the project page's task form: one GET of the target, 2 VUs for 12 s.</summary>
    private async Task<(long Project, long Task)> CreateProjectAndTaskAsync(ConsolePage page)
    {
        await page.OpenAsync($"/p/{Tenant}/projects");
        await page.ById("new-project-name").FillAsync("console e2e", new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        await page.ById("new-project-submit").ClickAsync();
        await page.FollowRowAsync("project-row", "console e2e");
        await page.WaitForRouteAsync("/projects/");
        var projectId = page.IdInRoute("projects");

        await page.ById("new-task-name").FillAsync("live task", new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        // 20 ms per answer keeps 2 VUs near 100 requests a second: load enough for every figure, little for 2 cores.
        await page.ById("new-task-url").FillAsync(new Uri(console.Target.BaseAddress, "/delay/20").ToString());
        await page.ById("new-task-vus").FillAsync("2");
        await page.ById("new-task-duration").FillAsync(DurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ById("new-task-submit").ClickAsync();
        await page.FollowRowAsync("task-row", "live task");
        await page.WaitForRouteAsync("/tasks/");
        await page.ById("task-start").WaitForAsync(new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        return (projectId, page.IdInRoute("tasks"));
    }

    /// <summary>After a start: the page either opens the new run's report itself or lists it; then the report is open.</summary>
    internal static async Task<long> OpenNewRunAsync(ConsolePage page)
    {
        await page.Page.WaitForFunctionAsync(
            "() => location.hash.includes('/runs/') || document.querySelector('[data-testid=\"run-row\"] a') !== null",
            null, new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        if (!page.Page.Url.Contains("/runs/", StringComparison.Ordinal))
        {
            await page.ById("run-row").First.Locator("a").First.ClickAsync();
            await page.WaitForRouteAsync("/runs/");
        }
        return page.IdInRoute("runs");
    }

    /// <summary>While the run is live, chart-tps gains points: at least one more on each of several refreshes.</summary>
    private async Task WatchLiveAsync(ConsolePage page, long runId)
    {
        var points = await page.WaitForPointsAsync("chart-tps", 0, ConsolePage.Shown);
        // Marks the chart's canvas: an update must give the chart new data (uPlot setData), not a new chart.
        await page.ById("chart-tps").Locator("canvas").First.EvaluateAsync("c => { c.dataset.perftestMark = 'first'; }");
        var seen = new List<int> { points };
        for (var i = 0; i < 3; i++)
        {
            // A point a second: each wait ends on the next refresh that brings one.
            points = await page.WaitForPointsAsync("chart-tps", points, TimeSpan.FromSeconds(5));
            seen.Add(points);
        }
        output.WriteLine($"chart-tps data-points over the live refreshes: {string.Join(" ", seen)}");
        Assert.Equal(1, await page.Page.Locator("[data-testid=\"chart-tps\"] canvas[data-perftest-mark=\"first\"]").CountAsync());
        var live = await console.Server.Http.GetJsonAsync($"/v1/{Tenant}/console/task-runs/{runId}");
        Assert.True(live.Status == 200, live.Text);
        Assert.True(live.Object["task_run"]!["live"]!.GetValue<bool>(), "the points grew, but the run had already ended: not a live view");
    }
}
