using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Tests.Tcp;

public class TcpConnectionTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static SocketExchange Card(string url, string body, int endType = 0, int endLength = 0, string? endStr = null, int returnMs = 5000, string? format = null) =>
        SocketExchange.FromCard(url, body, format, endType, endLength, endStr, connectTimeoutMs: 5000, returnTimeoutMs: returnMs);

    [Fact]
    public async Task Echo_with_a_length_rule_succeeds_and_keeps_the_connection()
    {
        using var server = new TcpTestServer(TcpMode.Echo);
        await using var connection = new TcpConnection();
        SocketExchange exchange = Card(server.Url, "hello", endType: 1, endLength: 5);

        for (int i = 0; i < 3; i++)
        {
            RequestResult result = await connection.SendAsync(exchange);
            Assert.Equal(new RequestResult(Outcome.Success, 0, 5, 5), result);
        }

        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Url_without_scheme_and_no_end_rule_take_the_first_read()
    {
        using var server = new TcpTestServer(TcpMode.Echo);
        await using var connection = new TcpConnection();
        var capture = new SocketCapture();

        RequestResult result = await connection.SendAsync(Card($"127.0.0.1:{server.Port}", "ping"), capture);

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("ping", Encoding.ASCII.GetString(capture.Response));
        Assert.Equal(1, capture.Receives);
    }

    [Fact]
    public async Task An_end_string_split_over_several_writes_is_found()
    {
        // "END" arrives as "E" + "N" + "D", after a false start "EN" in the first piece.
        using var server = new TcpTestServer(TcpMode.Pieces, Ascii("abcEN"), Ascii("xyzE"), Ascii("N"), Ascii("D"));
        await using var connection = new TcpConnection();
        var capture = new SocketCapture();

        RequestResult result = await connection.SendAsync(Card(server.Url, "go", endType: 2, endStr: "END"), capture);

        Assert.Equal(new RequestResult(Outcome.Success, 0, 2, 11), result);
        Assert.Equal("abcENxyzEND", Encoding.ASCII.GetString(capture.Response));
        Assert.True(capture.Receives >= 2, $"{capture.Receives} reads");
    }

    [Fact]
    public async Task A_length_rule_reads_until_enough_bytes()
    {
        using var server = new TcpTestServer(TcpMode.Pieces, Ascii("0123"), Ascii("4567"), Ascii("89"));
        await using var connection = new TcpConnection();

        RequestResult result = await connection.SendAsync(Card(server.Url, "go", endType: 1, endLength: 10));

        Assert.Equal(new RequestResult(Outcome.Success, 0, 2, 10), result);
    }

    [Fact]
    public async Task Hex_payload_and_end_string_are_bytes()
    {
        using var server = new TcpTestServer(TcpMode.Echo);
        await using var connection = new TcpConnection();
        var capture = new SocketCapture();

        RequestResult result = await connection.SendAsync(Card(server.Url, "00 ff 10 0d 0a", endType: 2, endStr: "0d0a", format: "hex"), capture);

        Assert.Equal(new RequestResult(Outcome.Success, 0, 5, 5), result);
        Assert.Equal(new byte[] { 0x00, 0xff, 0x10, 0x0d, 0x0a }, capture.Response);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        using var server = new TcpTestServer(TcpMode.Silent);
        await using var connection = new TcpConnection();
        var watch = Stopwatch.StartNew();

        RequestResult result = await connection.SendAsync(Card(server.Url, "hello", endType: 1, endLength: 5, returnMs: 200));

        Assert.Equal(new RequestResult(Outcome.Timeout, 0, 5, 0), result);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        await using var connection = new TcpConnection();

        RequestResult result = await connection.SendAsync(Card($"tcp://127.0.0.1:{TcpTestServer.ClosedPort()}", "hello"));

        Assert.Equal(new RequestResult(Outcome.Refused, 0, 0, 0), result);
    }

    [Fact]
    public async Task A_reset_is_refused()
    {
        using var server = new TcpTestServer(TcpMode.Reset);
        await using var connection = new TcpConnection();

        RequestResult result = await connection.SendAsync(Card(server.Url, "hello", endType: 1, endLength: 5));

        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(0, result.BytesReceived);
    }

    [Fact]
    public async Task Peer_closing_before_the_end_rule_is_a_parse_failure()
    {
        using var server = new TcpTestServer(TcpMode.PartialThenClose, Ascii("abc"));
        await using var connection = new TcpConnection();
        var capture = new SocketCapture();

        RequestResult result = await connection.SendAsync(Card(server.Url, "hello", endType: 1, endLength: 10), capture);

        Assert.Equal(new RequestResult(Outcome.ParseFailed, 0, 5, 3), result);
        Assert.Equal("abc", Encoding.ASCII.GetString(capture.Response));
    }

    [Fact]
    public async Task Reconnects_when_the_peer_closed_after_answering()
    {
        using var server = new TcpTestServer(TcpMode.EchoThenClose);
        await using var connection = new TcpConnection();
        SocketExchange exchange = Card(server.Url, "hello", endType: 1, endLength: 5);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new RequestResult(Outcome.Success, 0, 5, 5), await connection.SendAsync(exchange));
        }

        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task Caller_cancellation_throws_and_the_next_message_reconnects()
    {
        using var silent = new TcpTestServer(TcpMode.Silent);
        await using var connection = new TcpConnection();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await connection.SendAsync(Card(silent.Url, "hello", endType: 1, endLength: 5, returnMs: 30_000), null, cts.Token));

        using var echo = new TcpTestServer(TcpMode.Echo);
        Assert.Equal(Outcome.Success, (await connection.SendAsync(Card(echo.Url, "hello", endType: 1, endLength: 5))).Outcome);
    }

    [Fact]
    public async Task A_full_accept_queue_times_out_the_connect()
    {
        // Linux drops SYNs once the accept queue is full, so connecting hangs: a loopback connect timeout.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(IPAddress.Loopback, port);
            }

            await using var connection = new TcpConnection();
            SocketExchange exchange = SocketExchange.FromCard($"tcp://127.0.0.1:{port}", "x", null, 0, 0, null, connectTimeoutMs: 200, returnTimeoutMs: 200);
            RequestResult result = await connection.SendAsync(exchange);

            // Where the kernel still completes the handshake, the silent peer times the answer out instead.
            Assert.Equal(Outcome.Timeout, result.Outcome);
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }
}
