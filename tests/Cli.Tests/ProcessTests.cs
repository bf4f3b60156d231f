using System.Diagnostics;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Cli.Tests;

/// <summary><c>perftest.dll</c> as its own process writing to a pipe (a CI log): plain lines, and SIGTERM handled as Ctrl-C.</summary>
public sealed class ProcessTests(ITestOutputHelper log) : CliTestBase
{
    [Fact]
    public async Task SIGTERM_while_following_stops_the_run_and_exits_130()
    {
        Assert.Equal(0, (await CliAsync("apply", "-f", File("shop.yaml", ShopYaml(seconds: 300)))).Exit);
        var json = Path.Combine(Dir, "r.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "perftest.dll"), "run", "smoke", "--wait", "--json", json })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["PERFTEST_ENDPOINT"] = Server.BaseAddress.ToString();
        start.Environment["PERFTEST_PROJECT_ID"] = Tenant;
        using var cli = Process.Start(start)!;
        var error = cli.StandardError.ReadToEndAsync();

        // the first plain line of a second: the run is followed
        string? line;
        do
        {
            line = await cli.StandardOutput.ReadLineAsync();
            log.WriteLine(line ?? "(end)");
        }
        while (line is not null && !line.StartsWith('['));
        Assert.NotNull(line);
        Assert.Matches(@"^\[\s+\d+s\] home: tps [0-9.]+", line);

        using (var kill = Process.Start("kill", ["-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        var rest = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        log.WriteLine(rest);
        log.WriteLine(await error);
        Assert.Equal(130, cli.ExitCode);
        Assert.Contains("interrupted: stopping task smoke", await error);
        Assert.Contains("interrupted: the run was stopped", rest);
        Assert.Equal(4, JsonNode.Parse(System.IO.File.ReadAllText(json))!["run_status"]!.GetValue<int>());
        var info = (await Api.Http.GetJsonAsync($"/v1/{Tenant}/tasks/{await TaskIdAsync("smoke")}")).Object;
        Assert.Equal(4, info["taskInfo"]!["run_status"]!.GetValue<int>());
    }
}
