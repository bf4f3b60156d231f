using System.Globalization;
using System.Text;
using PerfTest.Deploy.Tests.Simulation;

// The production overlay's cluster (tests/Deploy.Tests/Simulation) with EXECUTORS executors under a TPS run of TPS
// requests per second, hit by one fault after another (SIGKILL an executor, scale down to half, back up, roll the
// control plane). After each fault, once SETTLE seconds have passed, it prints the load the target got per second as a
// ratio to the stage's rate, and at the end what the report lost against the target's count. With --docs FILE it
// replaces the section between the cluster-simulation markers of FILE (docs/performance.md) with the results.
var executors = Setting("EXECUTORS", 8);
var tps = Setting("TPS", 2000);
var held = Setting("HELD", 6);
var settle = Setting("SETTLE", 2);
var faults = new[] { Fault.KillExecutor(), Fault.ScaleExecutors(executors / 2), Fault.ScaleExecutors(executors), Fault.RollControlPlane() };
// Every fault waits held + settle seconds of load first; starting executors takes a few seconds more.
var stage = new TpsStage(tps, (faults.Length + 1) * (held + settle + 4) + 5);
var docs = args.Length == 2 && args[0] == "--docs" ? args[1] : null;

await using var cluster = await ClusterSimulation.StartAsync(Console.WriteLine, executors);
Console.WriteLine($"== {executors} executors, {tps} TPS for {stage.Seconds} s (issue_num {stage.Concurrency}); faults: {string.Join(", ", faults.Select(f => f.Name))}");
// Should the load stop (a run that ended early), the faults after that are not applied and the table says where.
var run = await FaultScenario.RunAsync(cluster, stage, faults, TimeSpan.FromSeconds(settle), held, Console.WriteLine);
var lines = new List<string>
{
    $"| after | executors | settled seconds | min load / stage rate | mean load / stage rate |",
    "| --- | --- | --- | --- | --- |",
};
lines.AddRange(run.Windows.Select(w =>
    $"| {w.Fault} | {w.Executors} | {w.Seconds.Count} | {w.MinRatio.ToString("P1", CultureInfo.InvariantCulture)} | {w.MeanRatio.ToString("P1", CultureInfo.InvariantCulture)} |"));
var summary = (run.LoadStopped is null ? "" : $"The load stopped {run.LoadStopped}. ") + $"run_status {run.RunStatus}; the report counted {run.Reported} requests, the target {run.Targeted}: " +
    $"lost {run.Lost} (a killed executor's last second is at most {run.KilledShare:F0})";
foreach (var window in run.Windows)
{
    Console.WriteLine(window);
}
Console.WriteLine(summary);
if (Environment.GetEnvironmentVariable("LOGS") is { Length: > 0 } logs)
{
    cluster.WriteLogs(logs);
    Console.WriteLine($"pod logs in {logs}");
}
if (docs is not null)
{
    WriteSection(docs, lines, summary);
}
return run.LoadStopped is null && run.RunStatus == 2 ? 0 : 1;

int Setting(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

void WriteSection(string path, List<string> table, string result)
{
    const string Begin = "<!-- cluster-simulation:begin -->";
    const string End = "<!-- cluster-simulation:end -->";
    var text = File.ReadAllText(path);
    var section = new StringBuilder()
        .AppendLine(Begin)
        .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores: " +
            $"`EXECUTORS={executors} TPS={tps} HELD={held} SETTLE={settle} benchmarks/cluster/run.sh`, stage {stage.Seconds} s.")
        .AppendLine()
        .AppendLine(string.Join('\n', table))
        .AppendLine()
        .AppendLine(result + ".")
        .Append(End)
        .ToString();
    var begin = text.IndexOf(Begin, StringComparison.Ordinal);
    var end = text.IndexOf(End, StringComparison.Ordinal);
    text = begin >= 0 && end > begin ? text[..begin] + section + text[(end + End.Length)..] : text.TrimEnd() + "\n\n" + section + "\n";
    File.WriteAllText(path, text);
}
