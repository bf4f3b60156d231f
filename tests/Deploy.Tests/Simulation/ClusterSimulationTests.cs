using PerfTest.EndToEnd.Tests;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>The production overlay started as a cluster (<see cref="ClusterSimulation"/>) and a run through its API.</summary>
[Collection(OneSimulationAtATime.Name)]
public sealed class ClusterSimulationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterSimulation _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterSimulation.StartAsync(output.WriteLine);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_production_overlay_runs_a_tps_run_on_its_two_executors_and_the_report_counts_what_the_target_got()
    {
        try
        {
            // PostgreSQL, two control planes, two executors, as rendered; each executor ready means registered, and the
            // control plane it registered with (the Service spreads them) says which address joined group 1. The API
            // client's requests, too, go to both replicas in turn: the run is started on one, read on either.
            Assert.Equal(2, _cluster.ControlPlanes.Count);
            Assert.Equal(2, _cluster.Executors.Count);
            foreach (var controlPlane in _cluster.ControlPlanes)
            {
                Assert.True(await controlPlane.IsReadyAsync(), controlPlane.Name);
            }
            foreach (var executor in _cluster.Executors)
            {
                var joined = $"Executor {executor.Name} at http://{executor.Address}:7001 joined private group 1";
                await Task.WhenAny(_cluster.ControlPlanes.Select(p => p.Log.WaitForAsync(l => l.Contains(joined, StringComparison.Ordinal))))
                    .Unwrap().WaitAsync(TimeSpan.FromSeconds(10));
            }

            var stage = new TpsStage(Tps: 100, Seconds: 12);
            var runs = _cluster.Runs(TimeSpan.FromSeconds(60));
            var c = await runs.CreateAsync(_cluster.TargetUrl.ToString(), stage.Json);
            var runId = await runs.StartAsync(c, "private-cluster", clusterId: 1);
            await runs.WaitAsync(c);

            var info = await runs.TaskInfoAsync(c);
            Assert.Equal(2, info["run_status"]!.GetValue<int>());
            var report = await runs.ReportAsync(runId, await runs.CaseRunIdAsync(c));
            var requests = RunHarness.Performance(report)["requests"]!.GetValue<long>();
            var seconds = _cluster.Target.RequestsPerSecond();
            output.WriteLine($"report {requests} requests, target {_cluster.Target.Requests}; per second: {string.Join(' ', seconds.Select(s => s.Requests))}");
            Assert.Equal(_cluster.Target.Requests, requests);
            Assert.InRange(requests, 1190, 1210);
            // From 2 s after the start, as after any change (FaultTests): executors still connecting may fall behind
            // their schedule at first, and catch up.
            var held = TargetRate.FullSeconds(seconds).Skip(2).SkipLast(1).ToList();
            Assert.True(held.Count >= 6, $"only {held.Count} full seconds in the middle of the run");
            Assert.Empty(TargetRate.Unheld(seconds, held, stage.Tps));
        }
        catch
        {
            output.WriteLine(_cluster.Logs());
            throw;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OneSimulationAtATime
{
    /// <summary>Simulations take the machine's cores and real seconds: one at a time.</summary>
    public const string Name = "cluster simulation";
}
