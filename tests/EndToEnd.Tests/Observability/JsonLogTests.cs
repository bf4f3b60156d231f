using System.Diagnostics;
using System.Text.Json;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>
/// The control plane as its own process (dotnet PerfTest.ControlPlane.dll) with Logging:Format=json, started where
/// there is no appsettings.json: every line of its standard output is one JSON object, the lines of a run carry its
/// task_run_id and case_run_id, and ASP.NET Core's per-request info lines stay off.
/// </summary>
public sealed class JsonLogTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("perftest-jsonlog-").FullName;
    private readonly int _port = ExecutorProcess.FreePort();
    private readonly LineLog _stdout = new();
    private readonly LineLog _stderr = new();
    private Process _process = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "PerfTest.ControlPlane.dll"), "--Logging:Format=json",
                     $"--Urls=http://127.0.0.1:{_port}", $"--Storage:SqlitePath={Path.Combine(_directory, "perftest.db")}",
                     "--Targets:Allow:0=127.0.0.0/8",
                 })
        {
            info.ArgumentList.Add(arg);
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _stdout.Add(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _stderr.Add(e.Data); } };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await _stdout.WaitForAsync(l => l.Contains("anonymous dev mode", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        await _target.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_line_is_json_and_the_runs_lines_carry_its_ids()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        var run = new RunHarness(http, RunHarness.Tenant, TimeSpan.FromSeconds(60));
        var c = await run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 10, "pressure_mode": 0, "issue_num": 1 } ]""");
        var taskRun = await run.StartAsync(c);
        await run.WaitAsync(c);
        var caseRun = await run.CaseRunIdAsync(c);
        await _stdout.WaitForAsync(l => l.Contains($"Task run {taskRun} ended", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(30));

        var lines = _stdout.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();  // throws on a line that is not JSON
        output.WriteLine(string.Join(Environment.NewLine, _stdout.Lines));
        Assert.Empty(_stderr.Lines);
        Assert.DoesNotContain(lines, l => l.GetProperty("Category").GetString()!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && l.GetProperty("LogLevel").GetString() == "Information");
        var ofRun = lines.Where(l => Ids(l).TaskRun == taskRun).ToList();
        Assert.Contains(ofRun, l => l.GetProperty("Message").GetString() == $"Task run {taskRun} ended with status 2");
        var ofCaseRun = lines.Where(l => Ids(l).CaseRun == caseRun).ToList();
        Assert.Contains(ofCaseRun, l => l.GetProperty("Message").GetString() == $"Case run {caseRun} ended with status 2");
        Assert.All(ofCaseRun, l => Assert.Equal(taskRun, Ids(l).TaskRun));
        // The run is not the request that started it: none of that request's scopes (path, trace) on the run's lines.
        Assert.All(ofRun, l => Assert.DoesNotContain("RequestPath", l.GetProperty("Scopes").GetRawText(), StringComparison.Ordinal));
        // Every line the run's code logged (its coordinator and groups) carries the task run's id.
        Assert.All(lines.Where(l => l.GetProperty("Category").GetString() is "PerfTest.ControlPlane.Runs.RunCoordinator"
                or "PerfTest.ControlPlane.Groups.CaseRunGroup"), l => Assert.Equal(taskRun, Ids(l).TaskRun));
    }

    private static (long? TaskRun, long? CaseRun) Ids(JsonElement line)
    {
        long? taskRun = null, caseRun = null;
        if (line.TryGetProperty("Scopes", out var scopes))
        {
            foreach (var scope in scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
            {
                taskRun ??= scope.TryGetProperty("task_run_id", out var t) ? t.GetInt64() : null;
                caseRun ??= scope.TryGetProperty("case_run_id", out var r) ? r.GetInt64() : null;
            }
        }
        return (taskRun, caseRun);
    }
}
