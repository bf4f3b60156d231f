using System.Diagnostics;
using System.Text;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;

namespace PerfTest.Protocols.Tests.Udp;

public class UdpChannelTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static SocketExchange Card(string url, string body, int endType = 0, int endLength = 0, string? endStr = null, int returnMs = 5000) =>
        SocketExchange.FromCard(url, body, null, endType, endLength, endStr, connectTimeoutMs: 5000, returnTimeoutMs: returnMs);

    [Fact]
    public async Task Echo_answers_with_one_datagram()
    {
        using var server = new UdpTestServer(UdpMode.Echo);
        await using var channel = new UdpChannel();
        var capture = new SocketCapture();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new RequestResult(Outcome.Success, 0, 5, 5), await channel.SendAsync(Card(server.Url, "hello"), capture));
        }

        Assert.Equal("hello", Encoding.ASCII.GetString(capture.Response));
        Assert.Equal(1, capture.Receives);
    }

    [Fact]
    public async Task An_end_string_over_several_datagrams_is_found()
    {
        using var server = new UdpTestServer(UdpMode.Datagrams, Ascii("part1-"), Ascii("part2-E"), Ascii("ND"));
        await using var channel = new UdpChannel();
        var capture = new SocketCapture();

        RequestResult result = await channel.SendAsync(Card(server.Url, "go", endType: 2, endStr: "END"), capture);

        Assert.Equal(new RequestResult(Outcome.Success, 0, 2, 15), result);
        Assert.Equal(3, capture.Receives);
        Assert.Equal("part1-part2-END", Encoding.ASCII.GetString(capture.Response));
    }

    [Fact]
    public async Task A_length_rule_collects_datagrams()
    {
        using var server = new UdpTestServer(UdpMode.Datagrams, Ascii("0123"), Ascii("4567"));
        await using var channel = new UdpChannel();

        Assert.Equal(new RequestResult(Outcome.Success, 0, 2, 8), await channel.SendAsync(Card(server.Url, "go", endType: 1, endLength: 8)));
    }

    [Fact]
    public async Task A_lost_answer_times_out_and_the_channel_recovers()
    {
        using var silent = new UdpTestServer(UdpMode.Silent);
        await using var channel = new UdpChannel();
        var watch = Stopwatch.StartNew();

        RequestResult result = await channel.SendAsync(Card(silent.Url, "hello", returnMs: 200));

        Assert.Equal(new RequestResult(Outcome.Timeout, 0, 5, 0), result);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(4));
        using var echo = new UdpTestServer(UdpMode.Echo);
        Assert.Equal(Outcome.Success, (await channel.SendAsync(Card(echo.Url, "hello"))).Outcome);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        await using var channel = new UdpChannel();
        SocketExchange exchange = Card($"udp://127.0.0.1:{UdpTestServer.ClosedPort()}", "hello", returnMs: 2000);

        for (int i = 0; i < 2; i++)
        {
            RequestResult result = await channel.SendAsync(exchange);
            Assert.Equal(new RequestResult(Outcome.Refused, 0, 5, 0), result);
        }
    }

    [Fact]
    public async Task Caller_cancellation_throws()
    {
        using var silent = new UdpTestServer(UdpMode.Silent);
        await using var channel = new UdpChannel();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await channel.SendAsync(Card(silent.Url, "hello", returnMs: 30_000), null, cts.Token));
    }
}
