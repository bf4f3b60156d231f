using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Protocols.Tests.Mqtt;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>WebSocket packet cards through the REST API against a real Kestrel WebSocket endpoint (TargetServer /ws).</summary>
public sealed class WebSocketRunTests : RunTestBase
{
    [Fact]
    public async Task A_websocket_card_keeps_one_connection_per_vu_and_its_checkpoint_reads_the_answer()
    {
        var url = new UriBuilder(Target.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "{{url}}", "bodys": [ "fail-3rd" ] } },
            { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "contains", "value": "echo:fail-3rd" } ] } }
            """);

        Assert.Equal(1, Target.WebSocketConnections);  // kept across iterations
        Assert.Equal(5, Target.WebSocketMessages);
        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(4, performance["successCount"]!.GetValue<long>());
        Assert.Equal(1, performance["failedAssert"]!.GetValue<long>());  // the 3rd answer was "fail:3"
    }

    [Fact]
    public async Task Debugging_a_case_runs_its_websocket_card_once_and_gives_its_outcome()
    {
        var url = new UriBuilder(Target.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(), FiveIterations);
        var p = $"/v1/{RunHarness.Tenant}";
        Assert.Equal(202, (await Run.Http.PutJsonAsync($"{p}/task-cases/{c.Case}/target/content", $$"""
            { "contents": [ { "content": [
                { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "{{url}}", "bodys": [ "hello" ] } },
                { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "equals", "value": "echo:nope" } ] } } ] } ] }
            """)).Status);

        var r = await Run.Http.PostJsonAsync($"{p}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""");

        Assert.True(r.Status == 200, r.Text);
        var result = r.Object["result"]!.AsArray().Single()!;
        Assert.Equal(1, Target.WebSocketMessages);  // sent once, for real
        Assert.Equal(["hello"], Target.WebSocketTexts);
        Assert.Equal(0, result["result"]!.GetValue<int>());  // its checkpoint failed on "echo:hello"
        Assert.StartsWith("a checkpoint failed", result["errorReason"]!.GetValue<string>());
        Assert.Equal("ws", result["name"]!.GetValue<string>());
        Assert.Equal($"WebSocket {url}", result["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_websocket_card_to_a_closed_port_counts_refused_connections()
    {
        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "ws://127.0.0.1:{{MosquittoBroker.FreePort()}}/ws", "bodys": [ "x" ] } }
            """);

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["failedRefused"]!.GetValue<long>());
    }
}
