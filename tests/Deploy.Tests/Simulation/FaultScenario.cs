using System.Diagnostics;
using PerfTest.EndToEnd.Tests;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>A change to the simulated cluster during a run: a name for reports and what it does.</summary>
/// <param name="Name">E.g. "scale executors 2 -> 4".</param>
/// <param name="Apply">The change; it returns once done (pods ready, stopped or killed; the Service switched).</param>
internal sealed record Fault(string Name, Func<ClusterSimulation, Task> Apply)
{
    public static Fault ScaleExecutors(int replicas) => new($"scale executors to {replicas}", c => c.ScaleExecutorsAsync(replicas));

    /// <summary>SIGKILL the newest executor.</summary>
    public static Fault KillExecutor() => new("SIGKILL one executor", c => c.KillPodAsync(c.Executors[^1]));

    /// <summary>A rolling update of the control plane: new replica ready, Service switched to it, old one killed (SIGKILL).</summary>
    public static Fault RollControlPlane() => new("roll the control plane", async c => await c.RollControlPlaneAsync(kill: true));
}

/// <summary>The seconds the target counted after a fault, once it had settled, up to the next fault (or the run's end).</summary>
/// <param name="Fault">The fault's name ("start" for the seconds before the first fault).</param>
/// <param name="Executors">Executors alive after it.</param>
/// <param name="Seconds">Full wall-clock seconds in the window and the requests the target answered in each.</param>
/// <param name="Tps">The stage's rate.</param>
/// <param name="Unheld">The seconds that missed the rate by more than 10 %, alone and with either neighbour (<see cref="TargetRate.Unheld"/>).</param>
/// <param name="MadeUp">Seconds out of 10 % alone that a neighbour made up (a stall caught up on).</param>
internal sealed record FaultWindow(string Fault, int Executors, IReadOnlyList<(long Second, long Requests)> Seconds, int Tps,
    IReadOnlyList<(long Second, long Requests)> Unheld, int MadeUp)
{
    public double MinRatio => Seconds.Count == 0 ? double.NaN : Seconds.Min(s => s.Requests) / (double)Tps;

    public double MeanRatio => Seconds.Count == 0 ? double.NaN : Seconds.Average(s => s.Requests) / Tps;

    public override string ToString() =>
        $"{Fault,-28} executors {Executors,2}  {Seconds.Count,2} s held  min {MinRatio:P1}  mean {MeanRatio:P1}  [{string.Join(' ', Seconds.Select(s => s.Requests))}]" +
        (MadeUp > 0 ? $"  ({MadeUp} made up by a neighbour)" : "");
}

/// <summary>What a run under faults did: the windows, the report's count against the target's, the run's end.</summary>
/// <param name="Windows">One per fault, after the start window.</param>
/// <param name="Reported">The report's requests.</param>
/// <param name="Targeted">The requests the target answered.</param>
/// <param name="RunStatus">The task's run_status at the end (2: ended).</param>
/// <param name="KilledShare">At most what a killed executor sent in its last second: the stage's rate over the executors alive before the kill (0 without a kill).</param>
/// <param name="LoadStopped">Null when the load went on through every fault; else after which fault it stopped (the faults after it were not applied).</param>
internal sealed record FaultRun(IReadOnlyList<FaultWindow> Windows, long Reported, long Targeted, int RunStatus, double KilledShare, string? LoadStopped)
{
    public long Lost => Targeted - Reported;
}

/// <summary>
/// A TPS run on private group 1 while faults hit the cluster one after another: before each fault, the load runs for
/// <c>heldSeconds</c> more seconds after it settled (<c>settle</c> after the previous change was done).
/// </summary>
internal static class FaultScenario
{
    public static async Task<FaultRun> RunAsync(ClusterSimulation cluster, TpsStage stage, IReadOnlyList<Fault> faults,
        TimeSpan settle, int heldSeconds, Action<string> log)
    {
        var runs = cluster.Runs(TimeSpan.FromSeconds(stage.Seconds + 60));
        var c = await runs.CreateAsync(cluster.TargetUrl.ToString(), stage.Json);
        var runId = await runs.StartAsync(c, "private-cluster", clusterId: 1);
        var waitLimit = TimeSpan.FromSeconds(heldSeconds + settle.TotalSeconds + 10);
        await cluster.Target.FirstRequest.WaitAsync(TimeSpan.FromSeconds(10));
        // (name, executors after it, when its change was done, when the next one started)
        var marks = new List<(string Name, int Executors, double Done)> { ("start", cluster.Executors.Count, Now()) };
        var starts = new List<double>();
        var killedShare = 0.0;
        string? stopped = null;
        foreach (var fault in faults)
        {
            var seconds = heldSeconds + (long)Math.Ceiling(settle.TotalSeconds);
            try
            {
                await cluster.Target.WaitForMoreSecondsAsync(seconds).WaitAsync(waitLimit);
            }
            catch (TimeoutException)
            {
                stopped = $"after \"{marks[^1].Name}\": the target got no requests in {seconds} more seconds (waited {waitLimit.TotalSeconds:F0} s)";
                log(stopped);
                break;
            }
            starts.Add(Now());
            if (fault.Name.Contains("SIGKILL", StringComparison.Ordinal))
            {
                killedShare = Math.Max(killedShare, stage.Tps / (double)cluster.Executors.Count);
            }
            var took = Stopwatch.StartNew();
            await fault.Apply(cluster);
            log($"{fault.Name}: done in {took.Elapsed.TotalSeconds:F1} s, {cluster.Executors.Count} executors");
            marks.Add((fault.Name, cluster.Executors.Count, Now()));
        }
        await runs.WaitAsync(c);
        var status = (await runs.TaskInfoAsync(c))["run_status"]!.GetValue<int>();
        var report = await runs.ReportAsync(runId, await runs.CaseRunIdAsync(c));
        var reported = RunHarness.Performance(report)["requests"]!.GetValue<long>();
        var perSecond = cluster.Target.RequestsPerSecond();
        var windows = marks.Select((m, i) =>
        {
            // The start settles too: executors still compiling and connecting may fall behind their schedule and catch up.
            var from = (long)Math.Ceiling(m.Done + settle.TotalSeconds);
            var until = i < starts.Count ? (long)Math.Floor(starts[i]) : long.MaxValue;
            var seconds = TargetRate.Between(perSecond, from, until);
            return new FaultWindow(m.Name, m.Executors, seconds, stage.Tps, TargetRate.Unheld(perSecond, seconds, stage.Tps),
                TargetRate.MadeUp(perSecond, seconds, stage.Tps));
        }).ToList();
        return new FaultRun(windows, reported, cluster.Target.Requests, status, killedShare, stopped);
    }

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
