using System.Text.Json.Nodes;
using PerfTest.Protocols.Tests.HttpFlv;
using PerfTest.Protocols.Tests.Rtmp;
using PerfTest.Protocols.Tests.Streaming;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// Streaming cards (HLS, RTMP, HTTP-FLV) through the REST API against real peers: nginx serving ffmpeg-made HLS
/// and FLV, nginx-rtmp fed by ffmpeg. Each of the five iterations is one play; the report's streaming fields
/// must match what the peer served.
/// </summary>
public sealed class StreamingRunTests : RunTestBase
{
    [Fact]
    public async Task Http_flv_plays_count_exactly_the_tags_nginx_served()
    {
        var sources = new FlvSources();
        await sources.InitializeAsync();
        try
        {
            var report = await RunCardReportAsync($$"""
                { "content_type": 2, "content": { "name": "flv", "protocol_type": 10, "flv_url": "{{sources.Static("/clip.flv")}}", "duration": 30 } }
                """);
            var performance = RunHarness.Performance(report);
            var media = (JsonObject)performance["streamingMediaVo"]!;

            Assert.Equal(5, performance["successCount"]!.GetValue<long>());
            Assert.Equal(5, media["streamingPlayTimes"]!.GetValue<long>());
            Assert.Equal(0, media["streamingErrorTimes"]!.GetValue<long>());
            Assert.Equal(5 * sources.Expected.VideoBytes, media["videoRecBytes"]!.GetValue<double>());
            Assert.Equal(5 * sources.Expected.AudioBytes, media["audioRecBytes"]!.GetValue<double>());
            Assert.Equal(5 * sources.Expected.MediaTags, media["recvPackets"]!.GetValue<double>());
            Assert.Equal(5 * sources.Expected.KeyFrames, media["keyFrameReceiveCnt"]!.GetValue<double>());
            Assert.True(media["minRecvKeyFrameDelay"]!.GetValue<double>() > 0);
            Assert.Equal(5 * sources.Expected.VideoBytes, RunHarness.Curve(report, "rtmp_brokens", "videoRecBytes").Sum(), 3);
        }
        finally
        {
            await sources.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_flv_url_that_serves_no_flv_counts_illegal_flv_header_failures()
    {
        var sources = new FlvSources();
        await sources.InitializeAsync();
        try
        {
            var performance = await RunCardAsync($$"""
                { "content_type": 2, "content": { "name": "flv", "protocol_type": 10, "flv_url": "{{sources.Static("/notflv.flv")}}" } }
                """);
            var media = (JsonObject)performance["streamingMediaVo"]!;

            Assert.Equal(5, performance["failedParsed"]!.GetValue<long>());
            Assert.Equal(5, media["streamingErrorTimes"]!.GetValue<long>());
            Assert.Equal(5, media["illegalFlvHeaderFailed"]!.GetValue<double>());
            Assert.Equal(0, media["streamingSuccessRate"]!.GetValue<double>());
        }
        finally
        {
            await sources.DisposeAsync();
        }
    }

    [Fact]
    public async Task Hls_plays_download_the_lowest_variant_and_count_its_segments()
    {
        await using var hls = await NginxHlsServer.StartAsync();

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "hls", "protocol_type": 7, "url": "{{new Uri(hls.BaseAddress, "/master.m3u8")}}",
              "bitrate_type": 0, "duration": 60 } }
            """);
        var media = (JsonObject)performance["streamingMediaVo"]!;
        var segments = hls.Requests.Count(r => r.Contains("GET /low/", StringComparison.Ordinal) && r.Contains(".ts ", StringComparison.Ordinal));

        Assert.Equal(5, performance["successCount"]!.GetValue<long>());
        Assert.Equal(5, media["streamingPlayTimes"]!.GetValue<long>());
        Assert.True(segments >= 5, string.Join('\n', hls.Requests));
        Assert.Equal(segments, media["recvPackets"]!.GetValue<double>());
        Assert.DoesNotContain(hls.Requests, r => r.Contains("/high/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rtmp_plays_of_a_published_stream_and_of_a_missing_one()
    {
        await using var rtmp = await NginxRtmpServer.StartAsync();
        await rtmp.PublishAsync("test");

        var played = (JsonObject)(await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "rtmp", "protocol_type": 7, "rtmp_url": "{{rtmp.Live("test")}}", "duration": 2 } }
            """))["streamingMediaVo"]!;
        var missing = (JsonObject)(await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "rtmp", "protocol_type": 7, "rtmp_url": "{{rtmp.Live("nobody")}}", "duration": 1 } }
            """))["streamingMediaVo"]!;

        Assert.Equal(5, played["streamingPlayTimes"]!.GetValue<long>());
        Assert.Equal(0, played["streamingErrorTimes"]!.GetValue<long>());
        Assert.True(played["videoRecBytes"]!.GetValue<double>() > 0);
        Assert.True(played["audioRecBytes"]!.GetValue<double>() > 0);
        // ffmpeg sends a key frame every second (-g 25 at 25 fps): every 2 s play gets at least one.
        Assert.True(played["keyFrameReceiveCnt"]!.GetValue<double>() >= 5);
        Assert.Equal(5, missing["streamingErrorTimes"]!.GetValue<long>());
        Assert.Equal(5, missing["playFailed"]!.GetValue<double>());
        // What nginx saw: five play sessions of each stream, and at least the media the report counts sent on the wire.
        var sessions = await rtmp.PlaySessionsAsync("test", 5);
        Assert.Equal(5, sessions.Count);
        Assert.True(sessions.Sum() >= played["videoRecBytes"]!.GetValue<double>() + played["audioRecBytes"]!.GetValue<double>());
        Assert.Equal(5, (await rtmp.PlaySessionsAsync("nobody", 5)).Count);
    }
}
