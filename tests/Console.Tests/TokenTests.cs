using PerfTest.Console.Tests.Infrastructure;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>
/// With tokens configured: the page asks for one, then sees only that token's IAM projects, exactly as the API does;
/// the token never appears in a URL the browser requests, nor in the control plane's log.
/// </summary>
public sealed class TokenTests(TokenConsole console) : IClassFixture<TokenConsole>
{
    private const string A = TokenConsole.TenantA;
    private const string B = TokenConsole.TenantB;

    [Fact]
    public async Task The_page_asks_for_a_token_then_lists_only_its_projects_and_never_puts_it_in_a_url()
    {
        var mine = await CreateProjectAsync(A, "project of A");
        await CreateProjectAsync(B, "project of B");
        var run = await console.RunToEndAsync(A);

        await using var context = await console.NewContextAsync();
        var page = new ConsolePage(await context.NewPageAsync());
        var urls = new List<string>();
        page.Page.Request += (_, request) => { lock (urls) { urls.Add(request.Url); } };
        await page.Page.GotoAsync("/");
        await page.SignInAsync(console.TokenA);
        await page.ChooseProjectAsync(A);
        await page.ById("project-row").Filter(new() { HasText = "project of A" }).First
            .WaitForAsync(new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        var rows = await page.ById("project-row").AllInnerTextsAsync();
        Assert.DoesNotContain(rows, r => r.Contains("project of B", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("project of A", StringComparison.Ordinal));
        var link = await page.ById("project-row").Filter(new() { HasText = "project of A" }).First.Locator("a").First.GetAttributeAsync("href");
        Assert.Contains($"/p/{A}/projects/{mine}", link, StringComparison.Ordinal);

        // The report and its export go through the token header too.
        await page.OpenAsync($"/p/{A}/runs/{run.TaskRunId}");
        await page.WaitForPointsAsync("chart-tps", 0, ConsolePage.Shown);
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.ById("export-html").ClickAsync());
        Assert.Null(await download.FailureAsync());

        // Kept in sessionStorage only: not in localStorage, not in a cookie.
        Assert.DoesNotContain(console.TokenA, await page.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage)"), StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Value.Contains(console.TokenA, StringComparison.Ordinal));
        lock (urls)
        {
            Assert.NotEmpty(urls);
            Assert.DoesNotContain(urls, u => u.Contains(console.TokenA, StringComparison.Ordinal) || u.Contains(console.TokenB, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(console.Logs.Log.Lines, l => l.Contains(console.TokenA, StringComparison.Ordinal) || l.Contains(console.TokenB, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_tenants_run_shows_the_api_error()
    {
        var theirs = await console.RunToEndAsync(B);
        await using var context = await console.NewContextAsync();
        var page = new ConsolePage(await context.NewPageAsync());
        await page.Page.GotoAsync("/");
        await page.SignInAsync(console.TokenA);
        await page.ChooseProjectAsync(A);

        // Under B's project id, token A is refused (403); under A's own id, B's run does not exist (404).
        foreach (var project in new[] { B, A })
        {
            var expected = ApiErrorBody.From(await console.Api(A).Http.GetJsonAsync($"/v1/{project}/console/task-runs/{theirs.TaskRunId}"));
            Assert.True(expected.Status is 403 or 404, $"{project}: {expected}");
            await page.OpenAsync($"/p/{project}/runs/{theirs.TaskRunId}");
            await ReportAssert.ShowsErrorAsync(page, expected);
        }
    }

    private async Task<long> CreateProjectAsync(string projectId, string name)
    {
        var r = await console.Api(projectId).Http.PostJsonAsync($"/v1/{projectId}/test-suites", $$"""{"name":"{{name}}"}""");
        Assert.True(r.Status == 201, r.Text);
        return r.Object["project_id"]!.GetValue<long>();
    }
}
