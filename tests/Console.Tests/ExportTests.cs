using Microsoft.Playwright;
using PerfTest.Console.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>The report's HTML file: downloaded with the page's button, opened from disk with the network cut off.</summary>
public sealed class ExportTests(DevConsole console) : IClassFixture<DevConsole>
{
    [Fact]
    public async Task The_exported_file_opens_offline_with_its_charts_and_the_same_numbers()
    {
        var run = await console.RunToEndAsync(DevConsole.Tenant);
        var file = Path.Combine(Path.GetTempPath(), "perftest-console-tests", Guid.NewGuid().ToString("N"), "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            await using (var context = await console.NewContextAsync())
            {
                var page = new ConsolePage(await context.NewPageAsync());
                await page.OpenAsync($"/p/{DevConsole.Tenant}/runs/{run.TaskRunId}");
                await page.WaitForPointsAsync("chart-tps", 0, ConsolePage.Shown);
                var download = await page.Page.RunAndWaitForDownloadAsync(() => page.ById("export-html").ClickAsync());
                Assert.Equal($"perftest-run-{run.TaskRunId}.html", download.SuggestedFilename);
                await download.SaveAsAsync(file);
                Assert.Empty(page.ScriptErrors);
            }
            await OpenOfflineAsync(file, run);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>A fresh context where every request but the file itself is aborted: the file must hold everything it draws.</summary>
    private async Task OpenOfflineAsync(string file, ConsoleFixture.FinishedRun run)
    {
        await using var context = await console.Chromium.NewContextAsync();
        var refused = new List<string>();
        await context.RouteAsync("**", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            lock (refused) { refused.Add(route.Request.Url); }
            await route.AbortAsync();
        });
        var page = new ConsolePage(await context.NewPageAsync());
        await page.Page.GotoAsync(new Uri(file).AbsoluteUri);
        await page.WaitForPointsAsync("chart-tps", 0, ConsolePage.Shown);
        await ReportAssert.ChartsDrawnAsync(page);
        await ReportAssert.SameAsApiAsync(page, run.Report);
        Assert.Empty(refused);
        Assert.Empty(page.ScriptErrors);
    }
}
