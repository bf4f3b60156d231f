using PerfTest.Protocols.Streaming;
using PerfTest.Protocols.Hls;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Streaming;

/// <summary>The HLS viewer against a real nginx serving what ffmpeg made (both from Debian packages).</summary>
public sealed class HlsPlayerTests : IAsyncLifetime
{
    private NginxHlsServer _server = null!;

    public async Task InitializeAsync() => _server = await NginxHlsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static HlsPlaySpec Spec(Uri url, int bitrateType = 0, int retries = 0) =>
        new(url, bitrateType, TimeSpan.FromSeconds(60), retries, TimeSpan.FromMilliseconds(10));

    private static async Task<HlsPlayResult> PlayAsync(HlsPlaySpec spec)
    {
        await using var player = new HlsPlayer(new HttpClientOptions());
        return await player.PlayAsync(spec, CancellationToken.None);
    }

    [Theory]
    [InlineData(0, "/low/")]
    [InlineData(1, "/high/")]
    public async Task Plays_the_chosen_variant_segment_by_segment_in_order(int bitrateType, string variant)
    {
        var result = await PlayAsync(Spec(new Uri(_server.BaseAddress, "master.m3u8"), bitrateType));

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal(2, result.PlaylistLoads);  // master, then the variant's (a finished VOD list)
        var segments = _server.Requests.Where(r => r.Contains(".ts ", StringComparison.Ordinal)).ToList();  // "GET /low/seg000.ts HTTP/1.1"
        Assert.Equal(result.Segments, segments.Count);
        Assert.True(result.Segments >= 3, string.Join('\n', _server.Requests));
        Assert.All(segments, s => Assert.Contains(variant, s, StringComparison.Ordinal));
        Assert.Equal(segments.Order(StringComparer.Ordinal), segments);  // in order
        Assert.NotNull(result.FirstSegmentDelay);
        Assert.True(result.BytesReceived > 10_000);
    }

    [Fact]
    public async Task A_bad_playlist_is_a_parse_failure()
    {
        var result = await PlayAsync(Spec(new Uri(_server.BaseAddress, "broken.m3u8")));
        Assert.Equal(Outcome.ParseFailed, result.Outcome);
        Assert.Equal(StreamFailure.ParseFile, result.Failure);
        Assert.Contains("#EXTM3U", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_playlist_is_retried_then_fails()
    {
        var result = await PlayAsync(Spec(new Uri(_server.BaseAddress, "nope.m3u8"), retries: 2));
        Assert.Equal(StreamFailure.Retry, result.Failure);
        Assert.Equal(2, result.Retries);
        Assert.Equal(3, _server.Requests.Count(r => r.Contains("/nope.m3u8", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_server_that_is_down_is_refused()
    {
        var down = new Uri($"http://127.0.0.1:{ExternalProcess.FreePort()}/master.m3u8");
        var result = await PlayAsync(Spec(down));
        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(StreamFailure.TcpConnect, result.Failure);
        Assert.Equal(0, result.Segments);
    }
}
