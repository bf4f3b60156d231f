using Microsoft.Playwright;
using PerfTest.Console.Tests.Infrastructure;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.EndToEnd.Tests;
using Xunit;

namespace PerfTest.Console.Tests;

/// <summary>Start, stop and a manual stage's level from the task page: the same REST API underneath.</summary>
public sealed class TaskControlTests(DevConsole console) : IClassFixture<DevConsole>
{
    private const string Tenant = DevConsole.Tenant;

    /// <summary>Bounds only a failure (a start that never reached the control plane); a pass goes on at the 5th request.</summary>
    private static readonly TimeSpan StartedWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_running_task_stops_from_its_page()
    {
        var api = console.Api(Tenant);
        var c = await api.CreateAsync(new Uri(console.Target.BaseAddress, "/delay/20").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 120, "pressure_mode": 0, "issue_num": 1 } ]""");
        await using var context = await console.NewContextAsync();
        var page = await OpenTaskAsync(context, c);
        var sent = console.Target.Requests;
        await page.ById("task-start").ClickAsync();
        await console.Target.WaitForRequestsAsync(sent + 5).WaitAsync(StartedWithin);

        await page.ById("task-stop").ClickAsync();
        // Two minutes of load unless the page's stop reached the control plane.
        await api.WaitAsync(c);
        Assert.Contains((await api.TaskInfoAsync(c))["run_status"]!.GetValue<int>(), new[] { 4, 5 });
        Assert.Equal(0, await page.ById("error").CountAsync());
    }

    [Fact]
    public async Task A_manual_stages_level_is_set_from_the_task_page()
    {
        var api = console.Api(Tenant);
        // /load/30 answers after 30 ms per request in flight: the most in flight at once is the VUs running.
        var c = await api.CreateAsync(new Uri(console.Target.BaseAddress, "/load/30").ToString(),
            """[ { "name": "by hand", "operate_mode": 0, "time": 120, "pressure_mode": 0, "voltage_regulating_mode": 1, "issue_num": 1 } ]""");
        await using var context = await console.NewContextAsync();
        var page = await OpenTaskAsync(context, c);
        var sent = console.Target.Requests;
        await page.ById("task-start").ClickAsync();
        await console.Target.WaitForRequestsAsync(sent + 5).WaitAsync(StartedWithin);
        Assert.Equal(1, console.Target.MaxLoadInFlight);

        await page.ById("stage-level-input").FillAsync("3");
        var response = await page.Page.RunAndWaitForResponseAsync(() => page.ById("stage-level-submit").ClickAsync(),
            r => r.Url.Contains("/stage-level", StringComparison.Ordinal));
        Assert.Equal(200, response.Status);
        Assert.Equal(3, (await response.JsonAsync())!.Value.GetProperty("level").GetInt32());
        await Eventually.HoldsAsync(() => console.Target.MaxLoadInFlight >= 3, TimeSpan.FromSeconds(10), "3 VUs in flight on the target");
        Assert.Equal(3, console.Target.MaxLoadInFlight);

        Assert.Equal(200, (await api.StopAsync(c)).Status);
        await api.WaitAsync(c);
    }

    [Fact]
    public async Task A_start_of_a_running_task_and_a_level_on_an_ended_run_show_the_apis_409()
    {
        var api = console.Api(Tenant);
        var ended = await console.RunToEndAsync(Tenant);
        await using var context = await console.NewContextAsync();
        var page = await OpenTaskAsync(context, ended.Created);
        await Assertions.Expect(page.ById("run-row")).ToHaveCountAsync(1, new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });

        // The run has ended: its stage cannot be regulated any more.
        await page.ById("stage-level-input").FillAsync("3");
        await ShowsRefusalAsync(page, () => page.ById("stage-level-submit").ClickAsync(), "/stage-level");

        // A second start while the task runs.
        var sent = console.Target.Requests;
        var c = await api.CreateAsync(new Uri(console.Target.BaseAddress, "/delay/20").ToString(),
            """[ { "name": "s", "operate_mode": 0, "time": 120, "pressure_mode": 0, "issue_num": 1 } ]""");
        await api.StartAsync(c);
        await console.Target.WaitForRequestsAsync(sent + 5).WaitAsync(StartedWithin);
        page = await OpenTaskAsync(context, c);
        await ShowsRefusalAsync(page, () => page.ById("task-start").ClickAsync(), $"/tasks/{c.Task}");
        Assert.Equal(200, (await api.StopAsync(c)).Status);
        await api.WaitAsync(c);
    }

    /// <summary>The action's API call answers 409, and the error box shows that answer's code and message.</summary>
    private static async Task ShowsRefusalAsync(ConsolePage page, Func<Task> action, string urlPart)
    {
        var response = await page.Page.RunAndWaitForResponseAsync(action, r => r.Url.Contains(urlPart, StringComparison.Ordinal)
            && r.Request.Method is "PUT" or "POST");
        Assert.Equal(409, response.Status);
        var body = (await response.JsonAsync())!.Value;
        await ReportAssert.ShowsErrorAsync(page, new ApiErrorBody(409, body.GetProperty("error_code").GetString()!, body.GetProperty("error_msg").GetString()!));
    }

    private async Task<ConsolePage> OpenTaskAsync(Microsoft.Playwright.IBrowserContext context, RunHarness.Created c)
    {
        var page = new ConsolePage(await context.NewPageAsync());
        await page.OpenAsync($"/p/{Tenant}/tasks/{c.Task}");
        await page.ById("task-start").WaitForAsync(new() { Timeout = (float)ConsolePage.Shown.TotalMilliseconds });
        return page;
    }
}
