using System.Text;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Tests.Tcp;

public class SocketExchangeTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("UDP://localhost:53/", "localhost", 53)]
    [InlineData("tcp://[::1]:8080", "::1", 8080)]
    public void Url_forms(string url, string host, int port)
    {
        SocketExchange exchange = SocketExchange.FromCard(url, "x", null, 0, 0, null, 0, 0);
        Assert.Equal((host, port), (exchange.Host, exchange.Port));
        Assert.Equal(SocketExchange.DefaultTimeout, exchange.ReturnTimeout);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("tcp://:9000")]
    [InlineData("tcp://host:9000/path")]
    public void Bad_urls_are_rejected(string url) =>
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard(url, "x", null, 0, 0, null, 0, 0));

    [Fact]
    public void Bad_fields_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard("h:1", "0g", "hex", 0, 0, null, 0, 0));
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard("h:1", "abc", "hex", 0, 0, null, 0, 0));
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard("h:1", "x", "base64", 0, 0, null, 0, 0));
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard("h:1", "x", null, 3, 0, null, 0, 0));
        Assert.ThrowsAny<ArgumentException>(() => SocketExchange.FromCard("h:1", "x", null, 1, 0, null, 0, 0));
        Assert.Throws<ArgumentException>(() => SocketExchange.FromCard("h:1", "x", null, 2, 0, "", 0, 0));
    }

    [Fact]
    public void Text_is_utf8_and_timeouts_are_milliseconds()
    {
        SocketExchange exchange = SocketExchange.FromCard("h:1", "é", "text", 2, 0, "\r\n", 250, 1500);
        Assert.Equal(Encoding.UTF8.GetBytes("é"), exchange.Payload.ToArray());
        Assert.Equal(EndKind.EndString, exchange.EndKind);
        Assert.Equal(TimeSpan.FromMilliseconds(250), exchange.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), exchange.ReturnTimeout);
    }

    [Theory]
    [InlineData("aab", new[] { "aaab" }, true)]
    [InlineData("aab", new[] { "a", "a", "a", "b" }, true)]
    [InlineData("abab", new[] { "aba", "bab" }, true)]
    [InlineData("abab", new[] { "abaa", "ba" }, false)]
    [InlineData("\r\n\r\n", new[] { "x\r\n", "\r", "\n" }, true)]
    [InlineData("END", new[] { "EN", "xD" }, false)]
    public void End_string_matches_across_receives(string end, string[] receives, bool complete)
    {
        EndRule rule = EndRule.ForEndString(Encoding.ASCII.GetBytes(end));
        int matched = 0;
        long total = 0;
        bool done = false;
        foreach (string receive in receives)
        {
            total += receive.Length;
            done = rule.IsComplete(Encoding.ASCII.GetBytes(receive), total, ref matched);
        }

        Assert.Equal(complete, done);
    }
}
