using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>The client against a real Kestrel server over loopback sockets.</summary>
public class KestrelConnectionTests
{
    private sealed record Seen(string Method, string Target, Dictionary<string, string> Headers, byte[] Body);

    private static readonly HttpClientOptions Options = new();

    private static async Task<(KestrelHost Host, ConcurrentQueue<Seen> Seen)> EchoServerAsync()
    {
        var seen = new ConcurrentQueue<Seen>();
        KestrelHost host = await KestrelHost.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            seen.Enqueue(new Seen(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            await context.Response.WriteAsync("ok");
        });
        return (host, seen);
    }

    [Fact]
    public async Task Get_with_headers_arrives_as_sent()
    {
        var (host, seen) = await EchoServerAsync();
        await using var _ = host;
        await using var connection = new Http1Connection(Options);
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/items?id=7&q=a%20b"),
            [new("Accept", "application/json"), new("X-Trace", "abc-123")], default);

        RequestResult result = await connection.SendAsync(get);

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Seen request = Assert.Single(seen);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/items?id=7&q=a%20b", request.Target);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("abc-123", request.Headers["X-Trace"]);
        Assert.Equal($"127.0.0.1:{host.Port}", request.Headers["Host"]);
        Assert.Empty(request.Body);
        Assert.Equal(get.Encoded.Length, result.BytesSent);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Body_with_headers_arrives_as_sent(string method)
    {
        var (host, seen) = await EchoServerAsync();
        await using var _ = host;
        await using var connection = new Http1Connection(Options);
        byte[] body = Encoding.UTF8.GetBytes("{\"name\":\"vü\",\"n\":" + new string('1', 50_000) + "}");
        HttpRequestTemplate post = HttpRequestTemplate.Create(method, host.Url("/submit"), [new("Content-Type", "application/json; charset=utf-8")], body);

        RequestResult result = await connection.SendAsync(post);

        Assert.Equal(Outcome.Success, result.Outcome);
        Seen request = Assert.Single(seen);
        Assert.Equal(method, request.Method);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
        Assert.Equal(body, request.Body);
    }

    [Fact]
    public async Task Content_length_and_chunked_responses_split_over_many_writes()
    {
        byte[] piece = Encoding.ASCII.GetBytes("0123456789abcdef");
        await using KestrelHost host = await KestrelHost.StartAsync(async context =>
        {
            if (context.Request.Path == "/fixed")
            {
                context.Response.ContentLength = piece.Length * 100;
            }

            for (int i = 0; i < 100; i++)
            {
                await context.Response.Body.WriteAsync(piece);
                await context.Response.Body.FlushAsync();
            }
        });
        await using var connection = new Http1Connection(Options);
        byte[] expected = Enumerable.Repeat(piece, 100).SelectMany(p => p).ToArray();

        foreach (string path in new[] { "/fixed", "/chunked", "/fixed", "/chunked" })
        {
            var capture = new HttpResponseCapture();
            RequestResult result = await connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url(path), [], default), capture);
            Assert.Equal(Outcome.Success, result.Outcome);
            Assert.Equal(expected, capture.Body);
            Assert.Equal(path == "/chunked", capture.Headers.Any(h => h.Key == "Transfer-Encoding" && h.Value == "chunked"));
        }

        Assert.Single(host.ConnectionIds);
    }

    [Fact]
    public async Task Keep_alive_serves_many_requests_on_one_connection()
    {
        var (host, seen) = await EchoServerAsync();
        await using var _ = host;
        await using var connection = new Http1Connection(Options);
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/"), [], default);

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(Outcome.Success, (await connection.SendAsync(get)).Outcome);
        }

        Assert.Equal(50, seen.Count);
        Assert.Single(host.ConnectionIds);
    }

    [Fact]
    public async Task Connection_close_response_makes_the_next_request_reconnect()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(context =>
        {
            context.Response.Headers.Connection = "close";
            return context.Response.WriteAsync("bye");
        });
        await using var connection = new Http1Connection(Options);
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/"), [], default);

        for (int i = 0; i < 3; i++)
        {
            RequestResult result = await connection.SendAsync(get);
            Assert.Equal(Outcome.Success, result.Outcome);
        }

        Assert.Equal(3, host.ConnectionIds.Count);
    }

    [Fact]
    public async Task Card_connection_close_is_honoured()
    {
        var (host, _) = await EchoServerAsync();
        await using var __ = host;
        await using var connection = new Http1Connection(Options);
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/"), [new("Connection", "close")], default);

        Assert.Equal(Outcome.Success, (await connection.SendAsync(get)).Outcome);
        Assert.Equal(Outcome.Success, (await connection.SendAsync(get)).Outcome);
        Assert.Equal(2, host.ConnectionIds.Count);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Error_statuses_are_checkpoint_failures_with_the_status(int status)
    {
        await using KestrelHost host = await KestrelHost.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("nope");
        });
        await using var connection = new Http1Connection(Options);
        RequestResult result = await connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url("/missing"), [], default));
        Assert.Equal(Outcome.CheckpointFailed, result.Outcome);
        Assert.Equal(status, result.StatusCode);
        Assert.True(result.BytesReceived > 0);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(301)]
    [InlineData(304)]
    public async Task Bodyless_and_redirect_statuses_succeed_and_keep_the_connection(int status)
    {
        await using KestrelHost host = await KestrelHost.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            if (status == 301)
            {
                context.Response.Headers.Location = "/elsewhere";
            }

            return Task.CompletedTask;
        });
        await using var connection = new Http1Connection(Options);
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/"), [], default);
        for (int i = 0; i < 3; i++)
        {
            RequestResult result = await connection.SendAsync(get);
            Assert.Equal(Outcome.Success, result.Outcome);
            Assert.Equal(status, result.StatusCode);
        }

        Assert.Single(host.ConnectionIds);
    }

    [Fact]
    public async Task Head_response_body_is_not_expected()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(context =>
        {
            context.Response.ContentLength = 1234;
            return context.Request.Method == "HEAD" ? Task.CompletedTask : context.Response.WriteAsync(new string('x', 1234));
        });
        await using var connection = new Http1Connection(Options);
        RequestResult head = await connection.SendAsync(HttpRequestTemplate.Create("HEAD", host.Url("/"), [], default));
        RequestResult get = await connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url("/"), [], default));
        Assert.Equal(Outcome.Success, head.Outcome);
        Assert.Equal(Outcome.Success, get.Outcome);
        // Both heads are the same (Content-Length: 1234, a Date of fixed width): the GET differs by its body only.
        Assert.Equal(1234, get.BytesReceived - head.BytesReceived);
        Assert.Single(host.ConnectionIds);
    }

    [Fact]
    public async Task Capture_returns_status_line_headers_and_body()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(context =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Custom"] = "value 1";
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("created!");
        });
        await using var connection = new Http1Connection(Options);
        var capture = new HttpResponseCapture();

        RequestResult result = await connection.SendAsync(HttpRequestTemplate.Create("POST", host.Url("/"), [], "x"u8.ToArray()), capture);

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("HTTP/1.1 201 Created", capture.StatusLine);
        Assert.Equal(201, capture.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("X-Custom", "value 1"), capture.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", "text/plain"), capture.Headers);
        Assert.Equal("created!", Encoding.ASCII.GetString(capture.Body));
    }

    [Fact]
    public async Task A_capture_keeps_its_cap_of_a_64_MiB_chunked_body_and_counts_all_of_it()
    {
        await using KestrelHost host = await KestrelHost.StartAsync(async context =>
        {
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'y');
            for (var i = 0; i < 1024; i++)
            {
                await context.Response.Body.WriteAsync(block);
            }
        });
        await using var connection = new Http1Connection(Options);
        var capture = new HttpResponseCapture { MaxBodyBytes = 4096 };

        RequestResult result = await connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url("/"), [], default), capture);

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal(new string('y', 4096), Encoding.ASCII.GetString(capture.Body));
        Assert.Equal(64L * 1024 * 1024, capture.BodyBytesSeen);
        Assert.True(capture.BodyCut);
    }

    [Fact]
    public async Task Caller_cancellation_throws_and_the_connection_recovers()
    {
        var release = new TaskCompletionSource();
        await using KestrelHost host = await KestrelHost.StartAsync(async context =>
        {
            if (context.Request.Path == "/slow")
            {
                await release.Task;
            }

            await context.Response.WriteAsync("ok");
        });
        await using var connection = new Http1Connection(Options);
        using var cts = new CancellationTokenSource();
        ValueTask<RequestResult> slow = connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url("/slow"), [], default), null, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow);
        release.SetResult();

        RequestResult next = await connection.SendAsync(HttpRequestTemplate.Create("GET", host.Url("/"), [], default));
        Assert.Equal(Outcome.Success, next.Outcome);
    }
}
