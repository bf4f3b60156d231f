using System.Diagnostics;
using System.Text.RegularExpressions;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Cli.Tests;

/// <summary>
/// <c>perftest run --wait</c> as its own process on a real terminal (tmux): the live view's TPS row updates every
/// second, and a real Ctrl-C stops the run through the API and exits 130.
/// </summary>
public sealed partial class TerminalTests(ITestOutputHelper log) : CliTestBase
{
    private readonly string _socket = "perftest-cli-" + Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex(@"home\s*│\s*(\d+)s\s*│\s*([0-9.]+)\s*│")]
    private static partial Regex LiveRow();

    [Fact]
    public async Task The_live_view_updates_each_second_and_Ctrl_C_stops_the_run_with_exit_130()
    {
        Assert.Equal(0, (await CliAsync("apply", "-f", File("shop.yaml", ShopYaml(seconds: 300)))).Exit);
        var cli = Path.Combine(AppContext.BaseDirectory, "perftest.dll");
        // The shell traps SIGINT (so it outlives the Ctrl-C and prints the exit code); a trapped signal is default again
        // in the child, so the CLI gets it as from any terminal.
        var command = $"trap : INT; dotnet {cli} run smoke --wait; echo EXIT=$?; exec sleep 3600";
        try
        {
            Tmux("new-session", "-d", "-s", "cli", "-x", "160", "-y", "50",
                "-e", $"PERFTEST_ENDPOINT={Server.BaseAddress}", "-e", $"PERFTEST_PROJECT_ID={Tenant}", "-e", "TERM=xterm-256color",
                "sh", "-c", command);

            // the elapsed column of the case's row takes at least three values: the view is redrawn as seconds come
            var seen = new HashSet<string>();
            var pane = await PaneAsync(p =>
            {
                foreach (Match m in LiveRow().Matches(p))
                {
                    seen.Add(m.Groups[1].Value);
                }
                return seen.Count >= 3;
            });
            log.WriteLine(pane);
            Assert.Contains("TPS", pane);
            Assert.Contains("tp99 ms", pane);
            Assert.Matches(LiveRow(), pane);

            Tmux("send-keys", "-t", "cli", "C-c");
            pane = await PaneAsync(p => p.Contains("EXIT=", StringComparison.Ordinal));
            log.WriteLine(pane);
            Assert.Contains("EXIT=130", pane);
            Assert.Contains("interrupted: stopping task smoke", pane);
            var info = (await Api.Http.GetJsonAsync($"/v1/{Tenant}/tasks/{await TaskIdAsync("smoke")}")).Object;
            Assert.Equal(4, info["taskInfo"]!["run_status"]!.GetValue<int>());
        }
        finally
        {
            try { Tmux("kill-server"); } catch (InvalidOperationException) { }
        }
    }

    /// <summary>Captures the pane until <paramref name="done"/> holds (a minute at most).</summary>
    private async Task<string> PaneAsync(Func<string, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var pane = Tmux("capture-pane", "-p", "-t", "cli");
            if (done(pane))
            {
                return pane;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the pane never showed what was awaited:\n" + pane);
            }
            await Task.Delay(200);
        }
    }

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"tmux {string.Join(' ', args)}: {error}");
    }
}
