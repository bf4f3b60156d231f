using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>TCP and UDP packet cards through the REST API against real loopback peers: what the peer saw, what the report counts.</summary>
public sealed class SocketRunTests : RunTestBase
{
    [Fact]
    public async Task A_tcp_card_sends_each_message_on_the_vus_connection_and_reads_to_the_end_string()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = new List<string>();
        var connections = 0;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            connections++;
            var buffer = new byte[256];
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0)
            {
                received.Add(Encoding.ASCII.GetString(buffer, 0, n));
                await socket.SendAsync(Encoding.ASCII.GetBytes("pong"));      // the answer in two writes,
                await socket.SendAsync(Encoding.ASCII.GetBytes(" done\n"));  // complete at the end string
            }
        });

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.1:{{port}}",
              "bodys": [ "ping" ], "check_end_type": 2, "check_end_str": "\n" } }
            """);
        await server.WaitAsync(TimeSpan.FromSeconds(30));  // the VU closed its connection at the end of the run

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["successCount"]!.GetValue<long>());
        Assert.Equal(1, connections);  // one connection, kept across iterations
        Assert.Equal("pingpingpingpingping", string.Concat(received));
        var outline = await Run.LogOutlineAsync(LastRunId);
        Assert.Equal(["TCP"], RunHarness.Protocols(outline));
        Assert.Equal(1, outline["task_basic_attribute"]!["stage"]!.GetValue<int>());
        Assert.Equal(0.0, outline["core_index"]!["trans_tps"]!.GetValue<double>());  // no transaction
    }

    [Fact]
    public async Task A_tcp_answer_is_checked_and_a_value_extracted_from_it_feeds_the_next_cards()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[256];
            for (var n = 1; await socket.ReceiveAsync(buffer) > 0; n++)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(n == 3 ? $"id={n} bad\n" : $"id={n} ok\n"));
            }
        });

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.1:{{port}}",
              "bodys": [ "next" ], "check_end_type": 2, "check_end_str": "\n" } },
            { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "contains", "value": " ok" } ] } },
            { "content_type": 4, "content": { "extractions": [ { "name": "id", "source": "body", "expression": "id=(\\d+)" } ] } },
            { "content_type": 2, "content": { "name": "use", "method": "POST", "protocol_type": 1, "url": "{{new Uri(Target.BaseAddress, "/echo")}}",
              "bodys": [ "got ${id}" ] } },
            { "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "{{new UriBuilder(Target.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri}}",
              "bodys": [ "id ${id}" ] } }
            """);
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(15, performance["requests"]!.GetValue<long>());
        Assert.Equal(1, performance["failedAssert"]!.GetValue<long>());  // the 3rd answer said "bad"
        Assert.Equal(["got 1", "got 2", "got 3", "got 4", "got 5"], Target.Echoed.Select(e => e.Body));
        Assert.Equal(["id 1", "id 2", "id 3", "id 4", "id 5"], Target.WebSocketTexts);  // a WebSocket payload renders variables too
        Assert.Equal(["HTTP", "TCP", "WebSocket"], RunHarness.Protocols(await Run.LogOutlineAsync(LastRunId)));
    }

    [Fact]
    public async Task A_udp_card_counts_answered_datagrams_and_a_silent_peer_as_timeouts()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        var datagrams = 0;
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            var buffer = new byte[256];
            while (!stop.IsCancellationRequested)
            {
                var r = await peer.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                if (++datagrams % 2 == 1)  // answer every other datagram: the rest are lost
                {
                    await peer.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), r.RemoteEndPoint);
                }
            }
        });

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "udp", "protocol_type": 4, "url": "udp://127.0.0.1:{{port}}",
              "bodys": [ "hi" ], "return_timeout": 300 } }
            """);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server);

        Assert.Equal(5, datagrams);
        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(3, performance["successCount"]!.GetValue<long>());
        Assert.Equal(2, performance["failedTimeout"]!.GetValue<long>());
    }
}
