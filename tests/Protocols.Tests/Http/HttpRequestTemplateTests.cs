using System.Text;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

public class HttpRequestTemplateTests
{
    private static string Wire(HttpRequestTemplate template) => Encoding.UTF8.GetString(template.Encoded.Span);

    [Fact]
    public void Get_is_request_line_host_card_headers_and_keep_alive()
    {
        HttpRequestTemplate template = HttpRequestTemplate.Create("GET", new Uri("http://example.test/a/b?x=1&y=%20#frag"),
            [new("Accept", "application/json"), new("X-Trace", " abc ")], default);
        Assert.Equal(
            "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: example.test\r\nAccept: application/json\r\nX-Trace: abc\r\nConnection: keep-alive\r\n\r\n",
            Wire(template));
        Assert.Equal("GET", template.Method);
        Assert.False(template.RequestsClose);
    }

    [Fact]
    public void Post_gets_content_length_and_the_body_and_replaces_a_card_content_length()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"a\":1}");
        HttpRequestTemplate template = HttpRequestTemplate.Create("POST", new Uri("https://example.test:8443/p"),
            [new("Content-Type", "application/json"), new("content-length", "999")], body);
        Assert.Equal(
            "POST /p HTTP/1.1\r\nHost: example.test:8443\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: keep-alive\r\n\r\n{\"a\":1}",
            Wire(template));
    }

    [Fact]
    public void Empty_post_says_content_length_zero()
    {
        HttpRequestTemplate template = HttpRequestTemplate.Create("PUT", new Uri("http://h/"), [], default);
        Assert.Contains("\r\nContent-Length: 0\r\n", Wire(template), StringComparison.Ordinal);
    }

    [Fact]
    public void Card_host_and_connection_headers_win()
    {
        HttpRequestTemplate template = HttpRequestTemplate.Create("GET", new Uri("http://[::1]:8080/"),
            [new("Host", "virtual.test"), new("Connection", "close")], default);
        Assert.Equal("GET / HTTP/1.1\r\nHost: virtual.test\r\nConnection: close\r\n\r\n", Wire(template));
        Assert.True(template.RequestsClose);
        Assert.Equal("::1", template.Endpoint.Host);
    }

    [Fact]
    public void Ipv6_literal_host_header_keeps_brackets_and_default_port_is_omitted()
    {
        Assert.Contains("Host: [::1]:8080\r\n", Wire(HttpRequestTemplate.Create("GET", new Uri("http://[::1]:8080/"), [], default)), StringComparison.Ordinal);
        Assert.Contains("Host: h.test\r\n", Wire(HttpRequestTemplate.Create("GET", new Uri("https://h.test:443/"), [], default)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GE T", "X-A", "v")]
    [InlineData("GET", "X A", "v")]
    [InlineData("GET", "X-A", "v\r\nInjected: 1")]
    [InlineData("GET", "Transfer-Encoding", "chunked")]
    public void Invalid_requests_are_rejected(string method, string name, string value)
    {
        Assert.Throws<ArgumentException>(() => HttpRequestTemplate.Create(method, new Uri("http://h/"), [new(name, value)], default));
    }

    [Fact]
    public void Only_absolute_http_urls()
    {
        Assert.Throws<ArgumentException>(() => HttpRequestTemplate.Create("GET", new Uri("ftp://h/"), [], default));
        Assert.Throws<ArgumentException>(() => HttpRequestTemplate.Create("GET", new Uri("/relative", UriKind.Relative), [], default));
    }
}
