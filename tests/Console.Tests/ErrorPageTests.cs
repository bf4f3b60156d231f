using PerfTest.Console.Tests.Infrastructure;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>A report page for a run that does not exist shows the API's documented error, not a stack trace.</summary>
public sealed class ErrorPageTests(DevConsole console) : IClassFixture<DevConsole>
{
    [Fact]
    public async Task A_run_that_does_not_exist_shows_the_api_error_404()
    {
        var expected = ApiErrorBody.From(await console.Server.Http.GetJsonAsync($"/v1/{DevConsole.Tenant}/console/task-runs/999999"));
        Assert.Equal(404, expected.Status);
        await using var context = await console.NewContextAsync();
        var page = new ConsolePage(await context.NewPageAsync());
        await page.OpenAsync($"/p/{DevConsole.Tenant}/runs/999999");
        await ReportAssert.ShowsErrorAsync(page, expected);
    }
}
