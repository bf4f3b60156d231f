using System.Diagnostics;

namespace PerfTest.Protocols.Tests.Streaming;

/// <summary>
/// A real nginx (foreground, one worker) on a free 127.0.0.1 port serving a temporary directory's www/
/// statically, with its request lines logged. The streaming tests' peers (HLS, HTTP-FLV) are built on it.
/// </summary>
public sealed class PrivateNginx : IAsyncDisposable
{
    private readonly Process _nginx;

    private PrivateNginx(Process nginx, string dir, int port)
    {
        _nginx = nginx;
        Directory = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The temporary directory; nginx serves its www/ subdirectory. Deleted on dispose.</summary>
    public string Directory { get; }

    public Uri BaseAddress { get; }

    /// <summary>The request lines nginx logged so far ("GET /low/seg000.ts HTTP/1.1").</summary>
    public IReadOnlyList<string> Requests =>
        File.Exists(Path.Combine(Directory, "access.log")) ? File.ReadAllLines(Path.Combine(Directory, "access.log")) : [];

    /// <summary>A new temporary directory with an empty www/ that nginx's unprivileged workers can read.</summary>
    public static string CreateSiteDirectory(string prefix)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the streaming peers (nginx, ffmpeg) run on Linux");
        }
        var dir = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "www"));
        return dir;
    }

    /// <summary>Starts nginx on <paramref name="dir"/> (from <see cref="CreateSiteDirectory"/>) and returns once it accepts connections.</summary>
    /// <param name="dir">The site directory: nginx's prefix, configuration and logs; it serves <c>dir/www</c>.</param>
    /// <param name="types">The nginx <c>types</c> block's body, e.g. "video/x-flv flv;".</param>
    public static async Task<PrivateNginx> StartAsync(string dir, string types)
    {
        var nginx = ExternalProcess.Require("/usr/sbin/nginx", "nginx");
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
              types { {{types}} }
              server { listen 127.0.0.1:{{port}}; root {{dir}}/www; }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(nginx) { ArgumentList = { "-c", config, "-p", dir }, RedirectStandardError = true })!;
        await ExternalProcess.WaitForPortAsync(port, process);
        return new PrivateNginx(process, dir, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        _nginx.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
