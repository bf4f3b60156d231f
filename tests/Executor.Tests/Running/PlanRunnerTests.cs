using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>What a plan's stream says about the keys it measures, and which plans it refuses.</summary>
public sealed class PlanRunnerTests
{
    // Nothing listens on port 9 of loopback: every request is refused at once, which is all these tests need.
    private const string Case = """
        { "contents": [
            { "content": [ { "content_type": 2, "content": { "name": "step#2 #POST#x", "method": "post", "url": "http://127.0.0.1:9/a", "protocol_type": 1 } } ] },
            { "data_type": 201, "data": { "loop_count": 2 }, "content": [
              { "content_type": 2, "content": { "url": "127.0.0.1:9", "protocol_type": 3, "bodys": [ "hi" ] } } ] } ],
          "stages": [ { "operate_mode": 1, "count": 2, "pressure_mode": 0, "issue_num": 1 } ] }
        """;

    private static async Task<List<SecondSnapshot>> RunAsync(RunPlan plan)
    {
        var seconds = new List<SecondSnapshot>();
        using var runner = new PlanRunner(plan, TimeProvider.System);
        await runner.RunAsync(s =>
        {
            seconds.Add(s.Clone());
            return Task.CompletedTask;
        }, CancellationToken.None, CancellationToken.None);
        return seconds;
    }

    [Fact]
    public async Task The_first_snapshot_declares_every_metric_key_with_its_cards_identity_and_no_other_does()
    {
        var seconds = await RunAsync(TestPlans.RunPlan(Case));

        Assert.Collection(seconds[0].MetricKeys,
            k => Assert.Equal((0, MetricKeyKind.Request, "contents[0].content[0]", "step#2 #POST#x", "POST", "http://127.0.0.1:9/a", "HTTP"),
                (k.Key, k.Kind, k.Path, k.Name, k.Method, k.Url, k.Protocol)),
            k => Assert.Equal((1, MetricKeyKind.Request, "contents[1].content[0]", "request-1", "TCP", "127.0.0.1:9", "TCP"),
                (k.Key, k.Kind, k.Path, k.Name, k.Method, k.Url, k.Protocol)));
        Assert.All(seconds.Skip(1), s => Assert.Empty(s.MetricKeys));
        Assert.True(seconds[^1].Final);
        Assert.Equal([2, 4], [.. seconds.SelectMany(s => s.Keys).Where(k => k.Key >= 0).GroupBy(k => k.Key).OrderBy(g => g.Key).Select(g => g.Sum(k => k.Requests))]);
    }

    [Fact]
    public async Task A_plan_of_another_version_is_refused_naming_both_versions_and_sends_nothing()
    {
        var plan = TestPlans.RunPlan(Case);
        plan.PlanVersion = PlanContract.Version + 1;
        var final = Assert.Single(await RunAsync(plan));

        Assert.True(final.Final);
        Assert.Equal($"plan version mismatch: the control plane speaks plan version {PlanContract.Version + 1}, this executor speaks plan version {PlanContract.Version}; run the same PerfTest version on both", final.Error);
        Assert.Empty(final.MetricKeys);
    }
}
