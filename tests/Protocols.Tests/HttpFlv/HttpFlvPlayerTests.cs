using System.Text;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Streaming;
using PerfTest.Protocols.Tests.Http;
using PerfTest.Protocols.Tests.Streaming;

namespace PerfTest.Protocols.Tests.HttpFlv;

/// <summary>
/// The HTTP-FLV viewer against real peers: an FLV that ffmpeg encodes, served by a private nginx (Content-Length),
/// by Kestrel (chunked, live and endless) and by raw sockets (a body until close, silence). Only 127.0.0.1.
/// </summary>
public sealed class HttpFlvPlayerTests(FlvSources sources) : IClassFixture<FlvSources>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);  // a hang guard; no test waits for it

    private static HttpFlvPlaySpec Spec(Uri url, TimeSpan? duration = null, TimeSpan? responseTimeout = null) =>
        new(url, duration ?? Long, TimeSpan.FromSeconds(5), responseTimeout ?? Long);

    private static async Task<StreamPlayResult> PlayAsync(HttpFlvPlaySpec spec, CancellationToken cancellationToken = default)
    {
        await using var player = new HttpFlvPlayer(new HttpClientOptions());
        return await player.PlayAsync(spec, cancellationToken);
    }

    private void AssertWholeClip(StreamPlayResult result)
    {
        Assert.True(result.Outcome == Outcome.Success, result.Error);
        Assert.Equal(StreamFailure.None, result.Failure);
        Assert.Null(result.Error);
        Assert.True(sources.Expected.AudioBytes > 0 && sources.Expected.VideoBytes > 0);
        Assert.Equal(sources.Expected.AudioBytes, result.AudioBytesReceived);
        Assert.Equal(sources.Expected.VideoBytes, result.VideoBytesReceived);
        Assert.Equal(sources.Expected.MediaTags, result.PacketsReceived);
        Assert.Equal(sources.Expected.KeyFrames, result.KeyFrames);
        Assert.True(result.KeyFrames >= 1);
        Assert.NotNull(result.FirstKeyFrameDelay);
        Assert.True(result.FirstKeyFrameDelay <= result.Elapsed);
        Assert.Equal(1, result.PacketsSent);
        Assert.True(result.BytesSent > 0);
        Assert.True(result.BytesReceived > sources.Clip.Length);  // the clip and the response head (and chunk framing)
    }

    [Fact]
    public async Task Plays_a_static_file_from_nginx_to_its_end()
    {
        var result = await PlayAsync(Spec(sources.Static("clip.flv")));
        AssertWholeClip(result);
    }

    [Fact]
    public async Task Plays_a_live_chunked_stream_from_kestrel_to_its_end()
    {
        var result = await PlayAsync(Spec(sources.Live("/live.flv")));
        AssertWholeClip(result);
    }

    [Fact]
    public async Task Plays_a_body_delimited_by_close_and_counts_every_wire_byte()
    {
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n\r\n");
        using var server = new RawHttpServer([.. head, .. sources.Clip], RawMode.RespondThenClose, writeSize: 1000);
        var result = await PlayAsync(Spec(server.Url("/raw.flv")));
        AssertWholeClip(result);
        Assert.Equal(server.BytesSent, result.BytesReceived);
        Assert.Equal(server.BytesReceived, result.BytesSent);
    }

    [Fact]
    public async Task The_duration_ends_a_stream_that_goes_on_with_success()
    {
        var result = await PlayAsync(Spec(sources.Live("/endless.flv"), duration: TimeSpan.FromSeconds(1)));
        Assert.True(result.Outcome == Outcome.Success, result.Error);
        Assert.Equal(StreamFailure.None, result.Failure);
        Assert.True(result.AudioBytesReceived > 0 && result.VideoBytesReceived > 0);
        Assert.True(result.KeyFrames >= 1);
        Assert.NotNull(result.FirstKeyFrameDelay);
        // The player hung up while the source was still streaming: the duration ended the play, not the body.
        await sources.ViewerLeftEndless.WaitAsync(Long);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plays_over_https_when_the_options_accept_the_certificate(bool acceptAny)
    {
        using var certificate = HttpsTests.SelfSigned();
        await using var host = await KestrelHost.StartAsync(sources.ServeLiveAsync, certificate);
        await using var player = new HttpFlvPlayer(new HttpClientOptions { AcceptAnyServerCertificate = acceptAny });
        var result = await player.PlayAsync(Spec(host.Url("/live.flv")), CancellationToken.None);
        if (acceptAny)
        {
            AssertWholeClip(result);
            return;
        }
        Assert.Equal(StreamFailure.TcpConnect, result.Failure);  // the TLS handshake is part of connecting
        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(0, result.PacketsSent);
    }

    [Fact]
    public async Task A_server_that_is_down_fails_at_tcp_connect()
    {
        var result = await PlayAsync(Spec(new Uri($"http://127.0.0.1:{ExternalProcess.FreePort()}/clip.flv")));
        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(StreamFailure.TcpConnect, result.Failure);
        Assert.Equal(0, result.PacketsSent);
        Assert.Equal(0, result.BytesReceived);
    }

    [Fact]
    public async Task A_missing_stream_fails_at_play_with_its_status()
    {
        var result = await PlayAsync(Spec(sources.Static("nope.flv")));
        Assert.Equal(Outcome.CheckpointFailed, result.Outcome);
        Assert.Equal(StreamFailure.Play, result.Failure);
        Assert.Contains("404", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, result.PacketsSent);
        Assert.True(result.BytesReceived > 0);
    }

    [Fact]
    public async Task A_body_that_is_not_flv_is_an_illegal_flv_header()
    {
        var result = await PlayAsync(Spec(sources.Static("notflv.flv")));
        Assert.Equal(Outcome.ParseFailed, result.Outcome);
        Assert.Equal(StreamFailure.IllegalFlvHeader, result.Failure);
        Assert.Equal(0, result.PacketsReceived);
    }

    [Fact]
    public async Task A_corrupt_tag_after_good_ones_fails_at_parse_flv_file()
    {
        var result = await PlayAsync(Spec(sources.Static("corrupt.flv")));
        Assert.Equal(Outcome.ParseFailed, result.Outcome);
        Assert.Equal(StreamFailure.ParseFlvFile, result.Failure);
        Assert.Contains("tag type 7", result.Error, StringComparison.Ordinal);
        Assert.True(sources.CorruptPrefix.MediaTags > 0);
        Assert.Equal(sources.CorruptPrefix.MediaTags, result.PacketsReceived);
        Assert.Equal(sources.CorruptPrefix.AudioBytes, result.AudioBytesReceived);
        Assert.Equal(sources.CorruptPrefix.VideoBytes, result.VideoBytesReceived);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_an_http_timeout()
    {
        using var server = new RawHttpServer("", RawMode.NeverRespond);
        var result = await PlayAsync(Spec(server.Url("/live.flv"), responseTimeout: TimeSpan.FromMilliseconds(300)));
        Assert.Equal(Outcome.Timeout, result.Outcome);
        Assert.Equal(StreamFailure.HttpTimeout, result.Failure);
        Assert.Equal(1, result.PacketsSent);
        Assert.Equal(0, result.BytesReceived);
    }

    [Fact]
    public async Task A_stream_that_stalls_after_media_is_an_http_timeout()
    {
        // Head and the first part of the clip, then the connection stays open and silent.
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n\r\n");
        using var server = new RawHttpServer([.. head, .. sources.Clip.AsSpan(0, sources.CorruptPrefix.Consumed)], RawMode.Respond);
        var result = await PlayAsync(Spec(server.Url("/live.flv"), responseTimeout: TimeSpan.FromMilliseconds(300)));
        Assert.Equal(Outcome.Timeout, result.Outcome);
        Assert.Equal(StreamFailure.HttpTimeout, result.Failure);
        Assert.Equal(sources.CorruptPrefix.MediaTags, result.PacketsReceived);
        Assert.Equal(server.BytesSent, result.BytesReceived);
    }

    [Theory]
    [InlineData("rtmp://127.0.0.1/live/stream")]
    [InlineData("ftp://127.0.0.1/clip.flv")]
    [InlineData("file:///tmp/clip.flv")]
    public async Task A_url_that_is_not_http_is_illegal(string url)
    {
        var result = await PlayAsync(Spec(new Uri(url)));
        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(StreamFailure.IllegalUrl, result.Failure);
        Assert.Equal(0, result.PacketsSent);
    }

    [Fact]
    public async Task Cancelling_before_any_media_ends_the_play_without_blaming_the_server()
    {
        using var server = new RawHttpServer("", RawMode.NeverRespond);
        using var cancel = new CancellationTokenSource();
        var play = PlayAsync(Spec(server.Url("/live.flv")), cancel.Token);
        Assert.True(await server.NextAcceptAsync());
        cancel.Cancel();
        var result = await play.WaitAsync(Long);
        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(StreamFailure.Unknown, result.Failure);
        Assert.Contains("cancelled", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_play_cancelled_before_it_starts_ends_at_once()
    {
        using var server = new RawHttpServer("", RawMode.NeverRespond);
        var result = await PlayAsync(Spec(server.Url("/live.flv")), new CancellationToken(canceled: true)).WaitAsync(Long);
        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(StreamFailure.Unknown, result.Failure);
        Assert.Equal(0, result.PacketsSent);
    }
}
