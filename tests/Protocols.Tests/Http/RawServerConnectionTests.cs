using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>Framing, failure and byte-count cases that need exact control over the server's bytes.</summary>
public class RawServerConnectionTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    private static HttpRequestTemplate Get(RawHttpServer server) => HttpRequestTemplate.Create("GET", server.Url("/"), [], default);

    [Fact]
    public async Task Chunked_with_extensions_and_trailers_sent_byte_by_byte()
    {
        const string response =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value\r\nhello\r\n7 ; a=1;b=\"q\"\r\n, world\r\n0;last\r\nX-Checksum: abc\r\n\r\n";
        using var server = new RawHttpServer(response, writeSize: 1);
        await using var connection = new Http1Connection(new HttpClientOptions());

        for (int i = 0; i < 3; i++)
        {
            var capture = new HttpResponseCapture();
            RequestResult result = await connection.SendAsync(Get(server), capture);
            Assert.Equal(Outcome.Success, result.Outcome);
            Assert.Equal("hello, world", Encoding.ASCII.GetString(capture.Body));
            Assert.Contains(new KeyValuePair<string, string>("X-Checksum", "abc"), capture.Headers);
            Assert.Equal(response.Length, result.BytesReceived);
        }

        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Byte_counts_equal_what_the_server_counted()
    {
        const string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
        using var server = new RawHttpServer(response);
        await using var connection = new Http1Connection(new HttpClientOptions());
        HttpRequestTemplate post = HttpRequestTemplate.Create("POST", server.Url("/upload?x=1"), [new("X-A", "b")], new byte[3000]);

        long sent = 0;
        long received = 0;
        for (int i = 0; i < 10; i++)
        {
            RequestResult result = await connection.SendAsync(post);
            Assert.Equal(Outcome.Success, result.Outcome);
            sent += result.BytesSent;
            received += result.BytesReceived;
        }

        Assert.Equal(server.BytesReceived, sent);
        Assert.Equal(server.BytesSent, received);
        Assert.Equal(10L * response.Length, received);
    }

    [Fact]
    public async Task Server_closing_an_idle_connection_is_retried_transparently()
    {
        using var server = new RawHttpServer(Ok, RawMode.RespondThenClose);
        await using var connection = new Http1Connection(new HttpClientOptions());

        Assert.Equal(Outcome.Success, (await connection.SendAsync(Get(server))).Outcome);
        Assert.True(await server.NextCloseAsync()); // the kept-alive connection is now dead at the server

        RequestResult second = await connection.SendAsync(Get(server));

        Assert.Equal(Outcome.Success, second.Outcome);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Body_without_framing_is_read_until_close()
    {
        using var server = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nstreamed to the end", RawMode.RespondThenClose);
        await using var connection = new Http1Connection(new HttpClientOptions());
        var capture = new HttpResponseCapture();

        RequestResult result = await connection.SendAsync(Get(server), capture);

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("streamed to the end", Encoding.ASCII.GetString(capture.Body));
        Assert.Equal(server.BytesSent, result.BytesReceived);
    }

    [Fact]
    public async Task Refused_port_is_refused()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var connection = new Http1Connection(new HttpClientOptions());
        RequestResult result = await connection.SendAsync(HttpRequestTemplate.Create("GET", new Uri($"http://127.0.0.1:{port}/"), [], default));

        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(0, result.StatusCode);
    }

    [Fact]
    public async Task Fresh_connection_closed_without_an_answer_is_refused_not_retried()
    {
        using var server = new RawHttpServer(Ok, RawMode.CloseOnRequest);
        await using var connection = new Http1Connection(new HttpClientOptions());

        RequestResult result = await connection.SendAsync(Get(server));

        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Silent_server_times_out_and_the_connection_is_not_reused()
    {
        using var server = new RawHttpServer(Ok, RawMode.NeverRespond);
        await using var connection = new Http1Connection(new HttpClientOptions { ResponseTimeout = TimeSpan.FromMilliseconds(200) });

        RequestResult first = await connection.SendAsync(Get(server));
        Assert.Equal(Outcome.Timeout, first.Outcome);
        Assert.True(await server.NextAcceptAsync());

        // A late answer on the old connection must never be read: the next request uses a new connection.
        RequestResult second = await connection.SendAsync(Get(server));
        Assert.Equal(Outcome.Timeout, second.Outcome);
        Assert.True(await server.NextAcceptAsync());
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n")]
    public async Task Garbage_is_a_parse_failure_and_closes_the_connection(string response)
    {
        using var server = new RawHttpServer(response);
        await using var connection = new Http1Connection(new HttpClientOptions());

        Assert.Equal(Outcome.ParseFailed, (await connection.SendAsync(Get(server))).Outcome);
        Assert.Equal(Outcome.ParseFailed, (await connection.SendAsync(Get(server))).Outcome);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Response_cut_short_is_other()
    {
        using var server = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", RawMode.RespondThenClose);
        await using var connection = new Http1Connection(new HttpClientOptions());

        RequestResult result = await connection.SendAsync(Get(server));

        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(server.BytesSent, result.BytesReceived);
    }

    [Fact]
    public void Connect_failures_are_classified()
    {
        // A live DNS failure would need a resolver beyond loopback, so the mapping is checked directly.
        Assert.Equal(Outcome.Other, PerfTest.Protocols.Transport.ErrorClassifier.ClassifyConnectFailure(new SocketException((int)SocketError.HostNotFound), timedOut: false));
        Assert.Equal(Outcome.Refused, PerfTest.Protocols.Transport.ErrorClassifier.ClassifyConnectFailure(new SocketException((int)SocketError.ConnectionRefused), timedOut: false));
        Assert.Equal(Outcome.Refused, PerfTest.Protocols.Transport.ErrorClassifier.ClassifyConnectFailure(new IOException("tls", new SocketException((int)SocketError.ConnectionReset)), timedOut: false));
        Assert.Equal(Outcome.Timeout, PerfTest.Protocols.Transport.ErrorClassifier.ClassifyConnectFailure(new OperationCanceledException(), timedOut: true));
        Assert.Equal(Outcome.Other, PerfTest.Protocols.Transport.ErrorClassifier.ClassifyConnectFailure(new System.Security.Authentication.AuthenticationException(), timedOut: false));
    }
}
