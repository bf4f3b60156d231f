using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Tests.Http;
using PerfTest.Protocols.WebSocket;

namespace PerfTest.Protocols.Tests.WebSocket;

public class WebSocketConnectionTests
{
    // Generous for the exchanges that succeed (a cold JIT on a loaded machine once took over 300 ms); only the /silent
    // test waits it out, so it stays short enough for that.
    private static readonly HttpClientOptions s_fast = new() { ConnectTimeout = TimeSpan.FromSeconds(2), ResponseTimeout = TimeSpan.FromSeconds(2) };

    private static WebSocketExchange Text(string message) => WebSocketExchange.FromCard("text", message, 0, 0, null);

    [Fact]
    public async Task Echo_text_and_binary_on_one_connection()
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl("/echo"), [new("X-Card", "1")], s_fast);

        var capture = new WebSocketCapture();
        RequestResult first = await connection.SendAsync(Text("hello"), capture);
        Assert.Equal(Outcome.Success, first.Outcome);
        Assert.Equal(101, capture.HandshakeStatusCode);
        Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(capture.Messages).Payload));

        byte[] large = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var binary = WebSocketExchange.FromCard("binary", Convert.ToBase64String(large), 0, 0, null);
        var second = new WebSocketCapture();
        RequestResult result = await connection.SendAsync(binary, second);
        Assert.Equal(Outcome.Success, result.Outcome);
        WebSocketCapturedMessage echoed = Assert.Single(second.Messages);
        Assert.Equal(WebSocketMessageType.Binary, echoed.Type);
        Assert.Equal(large, echoed.Payload);
        Assert.Equal(70_000 + 14, result.BytesSent);       // 64-bit length form + mask key
        Assert.Equal(70_000 + 10, result.BytesReceived);   // unmasked server frame
        Assert.Single(host.ConnectionIds);
    }

    [Fact]
    public async Task Ping_before_the_answer_is_answered_with_a_pong()
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl("/ping"), [], s_fast);
        var capture = new WebSocketCapture();
        RequestResult result = await connection.SendAsync(Text("hi"), capture);
        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("hi", Encoding.UTF8.GetString(Assert.Single(capture.Messages).Payload));
    }

    [Fact]
    public async Task Fragmented_answer_with_a_ping_between_fragments_is_one_message()
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl("/fragments"), [], s_fast);
        var capture = new WebSocketCapture();
        RequestResult result = await connection.SendAsync(Text("hello world"), capture);
        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("hello world", Encoding.UTF8.GetString(Assert.Single(capture.Messages).Payload));
    }

    [Theory]
    [InlineData(2, 0, "END", 3)]     // the end string is split across the second and third messages
    [InlineData(1, 8, null, 2)]      // 6 + 8 bytes >= 8 after the second message
    public async Task Several_messages_until_the_end_rule(int endType, long endLength, string? endString, int messages)
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl("/until-end"), [], s_fast);
        var capture = new WebSocketCapture();
        RequestResult result = await connection.SendAsync(WebSocketExchange.FromCard("text", "go", endType, endLength, endString), capture);
        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal(messages, capture.Messages.Count);
        Assert.Equal("part2 EN", Encoding.UTF8.GetString(capture.Messages[1].Payload));
    }

    [Fact]
    public async Task Silent_server_times_out_and_the_next_message_reconnects()
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl("/silent"), [], s_fast);
        RequestResult result = await connection.SendAsync(Text("anyone?"));
        Assert.Equal(Outcome.Timeout, result.Outcome);
        Assert.False(connection.IsConnected);
        Assert.Equal(Outcome.Timeout, (await connection.SendAsync(Text("again?"))).Outcome);
        Assert.Equal(2, host.ConnectionIds.Count);
    }

    [Theory]
    [InlineData("/plain", Outcome.ParseFailed, 200)]
    [InlineData("/wrong-accept", Outcome.ParseFailed, 101)]
    [InlineData("/malformed", Outcome.ParseFailed, 0)]
    [InlineData("/close", Outcome.Other, 1008)]
    public async Task Bad_handshakes_frames_and_closes_are_outcomes(string path, Outcome expected, int statusCode)
    {
        await using KestrelHost host = await WebSocketServer.StartAsync();
        await using var connection = new WebSocketConnection(host.WsUrl(path), [], s_fast);
        var capture = new WebSocketCapture();
        RequestResult result = await connection.SendAsync(Text("x"), capture);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(statusCode, result.StatusCode);
        Assert.False(connection.IsConnected);
        if (path == "/close")
        {
            Assert.Equal("going", capture.CloseReason);
        }
    }

    [Fact]
    public async Task Closed_port_is_refused()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        listener.Dispose();  // bound then closed: nothing listens there
        await using var connection = new WebSocketConnection(new Uri($"ws://127.0.0.1:{port}/"), [], s_fast);
        Assert.Equal(Outcome.Refused, (await connection.SendAsync(Text("x"))).Outcome);
    }

    [Fact]
    public async Task Connect_timeout_on_a_server_that_never_answers_the_handshake()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);  // accepts TCP (backlog) but never speaks HTTP
        var options = new HttpClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await using var connection = new WebSocketConnection(new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/"), [], options);
        Assert.Equal(Outcome.Timeout, (await connection.SendAsync(Text("x"))).Outcome);
    }

    [Theory]
    [InlineData(true, Outcome.Success)]
    [InlineData(false, Outcome.Other)]
    public async Task Wss_with_a_self_signed_certificate(bool acceptAny, Outcome expected)
    {
        using X509Certificate2 certificate = HttpsTests.SelfSigned();
        await using KestrelHost host = await WebSocketServer.StartAsync(certificate);
        var options = new HttpClientOptions { AcceptAnyServerCertificate = acceptAny };
        await using var connection = new WebSocketConnection(host.WsUrl("/echo"), [], options);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected, (await connection.SendAsync(Text("secure"))).Outcome);
        }

        Assert.Equal(acceptAny ? 1 : 0, host.ConnectionIds.Count);
    }

    [Fact]
    public void Card_fields_are_validated()
    {
        Assert.Throws<ArgumentException>(() => WebSocketExchange.FromCard("json", "x", 0, 0, null));
        Assert.Throws<ArgumentException>(() => WebSocketExchange.FromCard("binary", "not base64!", 0, 0, null));
        Assert.Throws<ArgumentException>(() => WebSocketExchange.FromCard("text", "x", 2, 0, ""));
        Assert.Throws<ArgumentException>(() => new WebSocketConnection(new Uri("http://127.0.0.1/"), [], s_fast));
        Assert.Equal([1, 2, 3], WebSocketExchange.FromCard("binary", "AQID", 0, 0, null).Payload.ToArray());
    }
}
