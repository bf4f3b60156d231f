using PerfTest.Console.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>Two runs of a task picked on the task page, side by side.</summary>
public sealed class CompareTests(DevConsole console) : IClassFixture<DevConsole>
{
    private const string Tenant = DevConsole.Tenant;

    [Fact]
    public async Task Two_runs_picked_on_the_task_page_show_side_by_side_with_their_own_numbers()
    {
        // A few seconds each, so each column draws curves (a run of one second has a single point).
        var first = await console.RunToEndAsync(Tenant, path: "/delay/20", seconds: 3);
        var second = await console.RunToEndAsync(Tenant, first.Created);
        await using var context = await console.NewContextAsync();
        var page = new ConsolePage(await context.NewPageAsync());
        await page.OpenAsync($"/p/{Tenant}/tasks/{first.Created.Task}");
        await Microsoft.Playwright.Assertions.Expect(page.ById("run-row")).ToHaveCountAsync(2,
            new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        foreach (var row in await page.ById("run-row").AllAsync())
        {
            await row.GetByTestId("run-compare-check").CheckAsync();
        }
        await page.ById("compare-submit").ClickAsync();
        await page.WaitForRouteAsync("/compare/");

        var routeIds = new Uri(page.Page.Url).Fragment.Split('/')[^2..].Select(long.Parse).ToArray();
        Assert.Equal(new[] { first.TaskRunId, second.TaskRunId }.Order(), routeIds.Order());
        var runs = new[] { first, second }.ToDictionary(r => r.TaskRunId);
        foreach (var (column, runId) in new[] { ("compare-left", routeIds[0]), ("compare-right", routeIds[1]) })
        {
            await page.WaitForPointsAsync("chart-tps", 0, ConsolePage.Shown, scope: column);
            var requests = PerfTest.EndToEnd.Tests.RunHarness.Performance(runs[runId].Report)["requests"]!.GetValue<double>();
            await page.WaitForFieldAsync("perf-table", "requests", requests, ConsolePage.Shown, scope: column);
            await ReportAssert.SameAsApiAsync(page, runs[runId].Report, scope: column);
        }
        await Screenshots.TakeAsync(page.Page, "compare");
        Assert.Empty(page.ScriptErrors);
    }
}
