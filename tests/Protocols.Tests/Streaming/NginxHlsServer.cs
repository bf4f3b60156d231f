using System.Diagnostics;

namespace PerfTest.Protocols.Tests.Streaming;

/// <summary>
/// A real nginx on a free 127.0.0.1 port serving an HLS set that ffmpeg generated from a test pattern:
/// /master.m3u8 (variants low and high), /low/index.m3u8 and /high/index.m3u8 with 1 s segments, and
/// /broken.m3u8 (not a playlist). Requests are logged so tests can see what the player fetched.
/// </summary>
public sealed class NginxHlsServer : IAsyncDisposable
{
    private readonly Process _nginx;
    private readonly string _dir;

    private NginxHlsServer(Process nginx, string dir, int port)
    {
        _nginx = nginx;
        _dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>The request lines nginx logged so far ("GET /low/seg000.ts HTTP/1.1").</summary>
    public IReadOnlyList<string> Requests =>
        File.Exists(Path.Combine(_dir, "access.log")) ? File.ReadAllLines(Path.Combine(_dir, "access.log")) : [];

    public static async Task<NginxHlsServer> StartAsync(int segments = 4)
    {
        var nginx = ExternalProcess.Require("/usr/sbin/nginx", "nginx");
        var ffmpeg = ExternalProcess.Require("/usr/bin/ffmpeg", "ffmpeg");
        var dir = Directory.CreateTempSubdirectory("perftest-hls-").FullName;
        // nginx's workers run as an unprivileged user: they must be able to read what we serve.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the streaming peers (nginx, ffmpeg) run on Linux");
        }
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var (variant, size) in new[] { ("low", "160x120"), ("high", "320x240") })
        {
            var target = Directory.CreateDirectory(Path.Combine(dir, "www", variant)).FullName;
            await ExternalProcess.RunAsync(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc=size={size}:rate=10",
                "-t", segments.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-g", "10",
                "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_segment_filename", Path.Combine(target, "seg%03d.ts"),
                Path.Combine(target, "index.m3u8"));
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "master.m3u8"),
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=320x240\nhigh/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=160x120\nlow/index.m3u8\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "broken.m3u8"), "<html>this is not a playlist</html>\n");
        var port = ExternalProcess.FreePort();
        var config = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 1024; }
            http {
              log_format line '$request';
              access_log {{dir}}/access.log line;
              types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
              server { listen 127.0.0.1:{{port}}; root {{dir}}/www; }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(nginx) { ArgumentList = { "-c", config, "-p", dir }, RedirectStandardError = true })!;
        await ExternalProcess.WaitForPortAsync(port, process);
        return new NginxHlsServer(process, dir, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        _nginx.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
