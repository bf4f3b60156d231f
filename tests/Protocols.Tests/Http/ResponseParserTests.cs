using System.Text;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

public class ResponseParserTests
{
    private const string ContentLength = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello";
    private const string Chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5;name=value\r\nhello\r\n" +
        "7 ; a=1;b=\"q\"\r\n, world\r\n" +
        "A\r\n0123456789\r\n" +
        "0\r\nX-Checksum: abc\r\nX-Other: 2\r\n\r\n";

    public static TheoryData<string, string> Responses => new()
    {
        { ContentLength, "hello" },
        { Chunked, "hello, world0123456789" },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ContentLength, "hello" },
        { "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n", "" },
        { "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", "" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "" },
        { "HTTP/1.0 200 OK\nContent-Length: 2\n\nhi", "hi" }, // bare LF, tolerated like curl does
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void Parses_at_every_split_point_and_consumes_exactly_the_response(string response, string body)
    {
        foreach (int step in new[] { 1, 2, 3, 7, 64, response.Length })
        {
            var capture = new HttpResponseCapture();
            // Bytes of a following response must be left alone.
            ParserHarness.Parsed parsed = ParserHarness.Trickle(response + "HTTP/1.1 200 OK\r\n", step, capture: capture);
            Assert.Equal(ParseStatus.Done, parsed.Status);
            Assert.Equal(response.Length, parsed.Consumed);
            Assert.Equal(response.Length, parsed.Parser.BytesConsumed);
            Assert.Equal(body, Encoding.ASCII.GetString(capture.Body));

            ParserHarness.Parsed uncaptured = ParserHarness.Trickle(response, step);
            Assert.Equal(ParseStatus.Done, uncaptured.Status);
            Assert.Equal(response.Length, uncaptured.Parser.BytesConsumed);
        }
    }

    [Fact]
    public void Capture_lists_status_line_headers_and_trailers()
    {
        var capture = new HttpResponseCapture();
        Assert.Equal(ParseStatus.Done, ParserHarness.Trickle(Chunked, 5, capture: capture).Status);
        Assert.Equal("HTTP/1.1 200 OK", capture.StatusLine);
        Assert.Equal(200, capture.StatusCode);
        Assert.Equal(
            [new("Transfer-Encoding", "chunked"), new("X-Checksum", "abc"), new("X-Other", "2")],
            capture.Headers);
    }

    [Fact]
    public void Interim_responses_are_skipped_and_counted()
    {
        var capture = new HttpResponseCapture();
        string response = "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n" + ContentLength;
        ParserHarness.Parsed parsed = ParserHarness.Whole(response, capture: capture);
        Assert.Equal(ParseStatus.Done, parsed.Status);
        Assert.Equal(200, parsed.Parser.StatusCode);
        Assert.Equal(response.Length, parsed.Parser.BytesConsumed);
        Assert.DoesNotContain(capture.Headers, h => h.Key == "X-Interim");
    }

    [Fact]
    public void Head_response_has_no_body_whatever_its_content_length()
    {
        const string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
        ParserHarness.Parsed parsed = ParserHarness.Whole(head + "HTTP/1.1", head: true);
        Assert.Equal(ParseStatus.Done, parsed.Status);
        Assert.Equal(head.Length, parsed.Consumed);
        Assert.True(parsed.Parser.KeepAlive);
    }

    [Fact]
    public void Body_without_length_is_read_until_the_connection_closes()
    {
        const string response = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of this until EOF";
        var capture = new HttpResponseCapture();
        ParserHarness.Parsed open = ParserHarness.Trickle(response, 4, capture: capture);
        Assert.Equal(ParseStatus.NeedMoreData, open.Status);

        ParserHarness.Parsed closed = ParserHarness.Trickle(response, 4, capture: capture, endOfStream: true);
        Assert.Equal(ParseStatus.Done, closed.Status);
        Assert.Equal("all of this until EOF", Encoding.ASCII.GetString(capture.Body));
        Assert.False(closed.Parser.KeepAlive);
    }

    [Fact]
    public void Truncated_response_does_not_complete_at_end_of_stream()
    {
        ParserHarness.Parsed parsed = ParserHarness.Trickle("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 100, endOfStream: true);
        Assert.Equal(ParseStatus.NeedMoreData, parsed.Status);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", false)]
    public void Keep_alive_follows_version_and_connection_header(string response, bool keepAlive)
    {
        ParserHarness.Parsed parsed = ParserHarness.Whole(response);
        Assert.Equal(ParseStatus.Done, parsed.Status);
        Assert.Equal(keepAlive, parsed.Parser.KeepAlive);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("G")]                                             // fails before a line end arrives
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n")]   // data longer than its size
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n")] // size overflow
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n")]
    public void Malformed_responses_are_errors(string response)
    {
        foreach (int step in new[] { 1, response.Length })
        {
            Assert.Equal(ParseStatus.Error, ParserHarness.Trickle(response, step).Status);
        }
    }

    [Fact]
    public void Overlong_header_line_is_an_error_without_waiting_for_its_end()
    {
        string response = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', LineReader.MaxLineLength + 10);
        Assert.Equal(ParseStatus.Error, ParserHarness.Trickle(response, 4096).Status);
    }
}
