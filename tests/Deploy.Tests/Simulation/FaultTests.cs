using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// The production overlay's cluster (two control-plane replicas) under faults during a 50 s TPS run: executors scaled
/// 2 -> 4 -> 1, one SIGKILLed, the control plane rolled (for each replica: a new one ready and in the Service, the old
/// one out of it and SIGKILLed, so the run's owner dies without a word and the other takes the run over once its lease
/// expires). Once 2 s have passed after the start and after each change, every full second holds the stage's rate within 10 % (alone, or
/// with a neighbour that made up a stall: <see cref="TargetRate.Unheld"/>), and the
/// report counts what the target answered, less at most the killed executor's last second and what it had in flight.
/// </summary>
[Collection(OneSimulationAtATime.Name)]
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterSimulation _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterSimulation.StartAsync(output.WriteLine, executors: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Load_holds_within_10_percent_2_s_after_scaling_a_kill_and_a_control_plane_roll_and_the_report_loses_at_most_the_killed_executors_last_second()
    {
        try
        {
            // 4 faults x (2 s settle + 4 s held) plus the faults themselves (a control-plane roll alone takes 7 s on a
            // loaded machine) and the start: 50 s leaves the last window its seconds.
            var stage = new TpsStage(Tps: 200, Seconds: 50);
            var run = await FaultScenario.RunAsync(_cluster, stage,
                [Fault.ScaleExecutors(4), Fault.KillExecutor(), Fault.ScaleExecutors(1), Fault.RollControlPlane()],
                settle: TimeSpan.FromSeconds(2), heldSeconds: 4, output.WriteLine);
            foreach (var window in run.Windows)
            {
                output.WriteLine(window.ToString());
            }
            output.WriteLine($"report {run.Reported}, target {run.Targeted}, lost {run.Lost} (at most {run.KilledShare * 1.2:F0})");

            Assert.Null(run.LoadStopped);
            Assert.Equal(2, run.RunStatus);
            Assert.All(run.Windows, window =>
            {
                Assert.True(window.Seconds.Count >= 2, $"{window.Fault}: only {window.Seconds.Count} settled seconds");
                Assert.True(window.Unheld.Count == 0, $"{window.Fault}: seconds off the rate by more than 10 %: {string.Join(", ", window.Unheld)}");
            });
            // Its last second, and what it had in flight (the target answered, it died before counting): 20 % more.
            Assert.InRange(run.Lost, 0, (long)Math.Ceiling(run.KilledShare * 1.2));
            // Both old replicas were killed, the run's owner among them: a new one took the run over.
            Assert.Contains(_cluster.ControlPlanes, p => p.Log.Lines.Any(l => l.Contains("Took over task run", StringComparison.Ordinal)));
        }
        catch
        {
            output.WriteLine(_cluster.Logs());
            throw;
        }
    }
}
