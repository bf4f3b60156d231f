namespace PerfTest.Protocols.Tests.Streaming;

/// <summary>
/// A real nginx on a free 127.0.0.1 port serving an HLS set that ffmpeg generated from a test pattern:
/// /master.m3u8 (variants low and high), /low/index.m3u8 and /high/index.m3u8 with 1 s segments, and
/// /broken.m3u8 (not a playlist). Requests are logged so tests can see what the player fetched.
/// </summary>
public sealed class NginxHlsServer : IAsyncDisposable
{
    private readonly PrivateNginx _nginx;

    private NginxHlsServer(PrivateNginx nginx) => _nginx = nginx;

    public Uri BaseAddress => _nginx.BaseAddress;

    /// <summary>The request lines nginx logged so far ("GET /low/seg000.ts HTTP/1.1").</summary>
    public IReadOnlyList<string> Requests => _nginx.Requests;

    public static async Task<NginxHlsServer> StartAsync(int segments = 4)
    {
        var dir = PrivateNginx.CreateSiteDirectory("perftest-hls-");
        foreach (var (variant, size) in new[] { ("low", "160x120"), ("high", "320x240") })
        {
            var target = Directory.CreateDirectory(Path.Combine(dir, "www", variant)).FullName;
            await ExternalProcess.FfmpegAsync("-f", "lavfi", "-i", $"testsrc=size={size}:rate=10",
                "-t", segments.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-g", "10",
                "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_segment_filename", Path.Combine(target, "seg%03d.ts"),
                Path.Combine(target, "index.m3u8"));
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "master.m3u8"),
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=320x240\nhigh/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=160x120\nlow/index.m3u8\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "broken.m3u8"), "<html>this is not a playlist</html>\n");
        return new NginxHlsServer(await PrivateNginx.StartAsync(dir, "application/vnd.apple.mpegurl m3u8; video/mp2t ts;"));
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
