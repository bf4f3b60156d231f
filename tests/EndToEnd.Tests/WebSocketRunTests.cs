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
    public async Task A_websocket_card_to_a_closed_port_counts_refused_connections()
    {
        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "ws://127.0.0.1:{{MosquittoBroker.FreePort()}}/ws", "bodys": [ "x" ] } }
            """);

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["failedRefused"]!.GetValue<long>());
    }
}
