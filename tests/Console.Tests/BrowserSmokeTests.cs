using PerfTest.Console.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>The test bench itself: Debian's chromium under Playwright reaches the loopback servers of the fixture.</summary>
public sealed class BrowserSmokeTests(DevConsole console) : IClassFixture<DevConsole>
{
    [Fact]
    public async Task Chromium_opens_a_page_of_the_loopback_target()
    {
        await using var context = await console.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(console.TargetOk);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", (await page.InnerTextAsync("body")).Trim());
        Assert.Contains("Chrom", console.Chromium.Browser.BrowserType.Name, StringComparison.OrdinalIgnoreCase);
    }
}
