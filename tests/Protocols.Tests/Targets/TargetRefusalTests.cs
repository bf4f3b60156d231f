using System.Net;
using System.Net.Sockets;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Hls;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Mqtt;
using PerfTest.Protocols.Rtmp;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Tests.Http;
using PerfTest.Protocols.Tests.Tcp;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;
using PerfTest.Protocols.WebSocket;
using PerfTest.Protocols.Tests.WebSocket;

namespace PerfTest.Protocols.Tests.Targets;

/// <summary>
/// Every client refuses a target the policy refuses before anything is sent: a real server listens on the refused
/// loopback address and sees no connection (no datagram for UDP). Refusals are tested with loopback put on the deny
/// list (HTTP, TCP, UDP, WebSocket, MQTT, HLS, HTTP-FLV, RTMP), and with the name localhost resolving to loopback that the policy does not allow; no test connects to a
/// link-local or metadata address.
/// </summary>
public sealed class TargetRefusalTests
{
    private const string LoopbackDenied = "127.0.0.1 is on the deny list";

    private readonly List<string> _reasons = [];

    /// <summary>Loopback allowed, 127.0.0.1 (where the servers listen) denied: deny wins.</summary>
    private TargetPolicy DenyLoopback() =>
        new TargetPolicy(TargetList.Parse(["127.0.0.0/8", "::1"]), TargetList.Parse(["127.0.0.1"])).Reporting(_reasons.Add);

    /// <summary>Nothing but public addresses: localhost resolves to loopback, which is refused.</summary>
    private TargetPolicy PublicOnly() => TargetPolicy.Default.Reporting(_reasons.Add);

    [Fact]
    public async Task Http_sends_nothing_to_a_denied_address()
    {
        using var server = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        await using var connection = new Http1Connection(new HttpClientOptions { Targets = DenyLoopback() });

        var result = await connection.SendAsync(HttpRequestTemplate.Create("GET", server.Url("/"), [], default));

        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(0, server.Connections);
        Assert.Equal([LoopbackDenied], _reasons);
    }

    [Fact]
    public async Task Http_sends_nothing_to_a_name_that_resolves_to_a_refused_address()
    {
        using var server = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        await using var connection = new Http1Connection(new HttpClientOptions { Targets = PublicOnly() });

        var result = await connection.SendAsync(HttpRequestTemplate.Create("GET", new Uri($"http://localhost:{server.Port}/"), [], default));

        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(0, server.Connections);
        Assert.StartsWith("localhost resolved to ", Assert.Single(_reasons), StringComparison.Ordinal);
        Assert.EndsWith(" is loopback and not allowed", _reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_still_reaches_an_allowed_address()
    {
        using var server = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        var allowOnly127001 = new TargetPolicy(TargetList.Parse(["127.0.0.1"]), TargetList.Parse(["127.0.0.2"]));
        await using var connection = new Http1Connection(new HttpClientOptions { Targets = allowOnly127001 });

        var result = await connection.SendAsync(HttpRequestTemplate.Create("GET", server.Url("/"), [], default));

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Tcp_sends_nothing_to_a_denied_address_or_to_a_name_resolving_to_loopback()
    {
        using var server = new TcpTestServer(TcpMode.Echo);
        await using var denied = new TcpConnection(DenyLoopback());
        await using var publicOnly = new TcpConnection(PublicOnly());

        var literal = await denied.SendAsync(Exchange(server.Url));
        var named = await publicOnly.SendAsync(Exchange($"tcp://localhost:{server.Port}"));

        Assert.Equal((Outcome.Other, 0L), (literal.Outcome, literal.BytesSent));
        Assert.Equal((Outcome.Other, 0L), (named.Outcome, named.BytesSent));
        Assert.Equal(0, server.Connections);
        Assert.Equal(LoopbackDenied, _reasons[0]);
        Assert.StartsWith("localhost resolved to ", _reasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Udp_sends_no_datagram_to_a_denied_address()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var channel = new UdpChannel(DenyLoopback());

        var result = await channel.SendAsync(Exchange($"udp://127.0.0.1:{((IPEndPoint)peer.LocalEndPoint!).Port}"));

        Assert.Equal((Outcome.Other, 0L), (result.Outcome, result.BytesSent));
        // A loopback datagram is in the peer's buffer when sendto returns: none came.
        Assert.Equal(0, peer.Available);
        Assert.Equal([LoopbackDenied], _reasons);
    }

    [Fact]
    public async Task WebSocket_opens_no_connection_to_a_denied_address()
    {
        using var server = new RawWebSocketServer();
        await using var connection = new WebSocketConnection(server.Url, [], new HttpClientOptions { Targets = DenyLoopback() });

        var result = await connection.SendAsync(WebSocketExchange.FromCard("text", "hello", 0, 0, null), null, CancellationToken.None);

        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(0, server.Connections);
        Assert.Equal([LoopbackDenied], _reasons);
    }

    [Fact]
    public async Task Mqtt_opens_no_connection_to_a_denied_address()
    {
        // Any listener will do as the broker: the session must not even connect to it.
        using var broker = new LoopbackListener("mqtt-refused", socket => socket.Dispose());
        await using var session = new MqttSession(new MqttSessionOptions
        {
            Url = MqttSessionOptions.ParseUrl($"mqtt://127.0.0.1:{broker.Port}"), ClientId = "vu-1", Targets = DenyLoopback(),
        });

        var result = await session.PublishAsync(MqttPublish.Create("load/t", 1, "hello"), CancellationToken.None);

        Assert.Equal((Outcome.Other, 0L), (result.Outcome, result.BytesSent));
        Assert.Equal(0, broker.Connections);
        Assert.Equal([LoopbackDenied], _reasons);
    }

    [Fact]
    public async Task Hls_http_flv_and_rtmp_open_no_connection_to_a_denied_address()
    {
        using var server = new LoopbackListener("stream-refused", socket => socket.Dispose());
        var (second, port) = (TimeSpan.FromSeconds(1), server.Port);
        await using var hls = new HlsPlayer(new HttpClientOptions { Targets = DenyLoopback() });
        await using var flv = new HttpFlvPlayer(new HttpClientOptions { Targets = DenyLoopback() });
        await using var rtmp = new RtmpPlayer(DenyLoopback());

        var played = new[]
        {
            (await hls.PlayAsync(new HlsPlaySpec(new Uri($"http://127.0.0.1:{port}/live.m3u8"), 0, second, 0, TimeSpan.Zero), CancellationToken.None)).Outcome,
            (await flv.PlayAsync(new HttpFlvPlaySpec(new Uri($"http://127.0.0.1:{port}/live.flv"), second, second, second), CancellationToken.None)).Outcome,
            (await rtmp.PlayAsync(new RtmpPlaySpec(new Uri($"rtmp://127.0.0.1:{port}/live/s"), second, second, second), CancellationToken.None)).Outcome,
        };

        Assert.Equal([Outcome.Other, Outcome.Other, Outcome.Other], played);
        Assert.Equal(0, server.Connections);
        Assert.Equal([LoopbackDenied, LoopbackDenied, LoopbackDenied], _reasons);
    }

    private static SocketExchange Exchange(string url) =>
        SocketExchange.FromCard(url, "hello", null, 0, 0, null, connectTimeoutMs: 5000, returnTimeoutMs: 5000);
}
