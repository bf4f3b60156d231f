using System.Diagnostics;
using System.Text;
using PerfTest.Protocols.Tests.Streaming;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>
/// A real nginx with the RTMP module (Debian's libnginx-mod-rtmp) on free 127.0.0.1 ports, with one
/// application <c>live</c> (idle_streams off: a stream nobody publishes is refused at once), and ffmpeg
/// publishing a test pattern with a 440 Hz tone (H.264 + AAC, a key frame every second) as live/test.
/// Ready when nginx's rtmp_stat page shows the stream publishing: a real signal, not a sleep.
/// </summary>
public sealed class NginxRtmpServer : IAsyncDisposable
{
    public const string ModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    private readonly Process _nginx;
    private readonly string _dir;
    private readonly int _httpPort;
    private Process? _publisher;
    private readonly StringBuilder _publisherLog = new();

    private NginxRtmpServer(Process nginx, string dir, int rtmpPort, int httpPort)
    {
        _nginx = nginx;
        _dir = dir;
        _httpPort = httpPort;
        Port = rtmpPort;
    }

    public int Port { get; }

    public Uri Live(string stream) => new($"rtmp://127.0.0.1:{Port}/live/{stream}");

    public static async Task<NginxRtmpServer> StartAsync()
    {
        var nginx = ExternalProcess.Require("/usr/sbin/nginx", "nginx");
        ExternalProcess.Require(ModulePath, "libnginx-mod-rtmp");
        var dir = Directory.CreateTempSubdirectory("perftest-rtmp-").FullName;
        var (rtmpPort, httpPort) = (ExternalProcess.FreePort(), ExternalProcess.FreePort());
        var config = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            worker_processes 1;
            load_module {{ModulePath}};
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log info;
            events { worker_connections 256; }
            rtmp {
              log_format sessions '$command $app/$name $bytes_sent';
              access_log {{dir}}/rtmp-sessions.log sessions;
              server {
                listen 127.0.0.1:{{rtmpPort}};
                chunk_size 4096;
                application live { live on; idle_streams off; }
              }
            }
            http {
              access_log off;
              server { listen 127.0.0.1:{{httpPort}}; location /stat { rtmp_stat all; } }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(nginx) { ArgumentList = { "-c", config, "-p", dir }, RedirectStandardError = true })!;
        var server = new NginxRtmpServer(process, dir, rtmpPort, httpPort);
        try
        {
            await ExternalProcess.WaitForPortAsync(rtmpPort, process);
            await ExternalProcess.WaitForPortAsync(httpPort, process);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts ffmpeg publishing live/<paramref name="stream"/> (for at most two minutes) and waits until nginx lists it as publishing.</summary>
    public async Task PublishAsync(string stream)
    {
        var ffmpeg = ExternalProcess.Require("/usr/bin/ffmpeg", "ffmpeg");
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[]
        {
            "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "120", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
            "-c:a", "aac", "-f", "flv", Live(stream).ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }
        _publisher = Process.Start(start)!;
        // Drained so ffmpeg never blocks on a full pipe; kept for the failure message.
        _publisher.ErrorDataReceived += (_, e) => { lock (_publisherLog) { _publisherLog.AppendLine(e.Data); } };
        _publisher.BeginErrorReadLine();
        await WaitUntilPublishingAsync(stream);
    }

    /// <summary>Polls the rtmp_stat page (bounded: 20 s) until the stream has a publisher sending.</summary>
    private async Task WaitUntilPublishingAsync(string stream)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (_publisher!.HasExited)
            {
                throw new InvalidOperationException($"ffmpeg exited with {_publisher.ExitCode}: {PublisherLog}");
            }
            string stat;
            try
            {
                stat = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_httpPort}/stat"));
            }
            catch (HttpRequestException)
            {
                stat = "";
            }
            if (stat.Contains($"<name>{stream}</name>", StringComparison.Ordinal) && stat.Contains("<publishing/>", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(50);  // a readiness probe, bounded: the stat page is nginx's only signal
        }
        throw new InvalidOperationException($"live/{stream} is not publishing after 20 s: {PublisherLog}");
    }

    /// <summary>
    /// Waits (bounded: 20 s) until nginx has logged <paramref name="count"/> ended play sessions of live/<paramref name="stream"/>
    /// (nginx-rtmp logs a session when it ends) and returns the bytes nginx sent in each.
    /// </summary>
    public async Task<IReadOnlyList<long>> PlaySessionsAsync(string stream, int count)
    {
        var log = Path.Combine(_dir, "rtmp-sessions.log");
        List<long> sessions = [];
        for (var attempt = 0; attempt < 400 && sessions.Count < count; attempt++)
        {
            sessions = File.Exists(log)
                ? File.ReadAllLines(log).Select(l => l.Split(' ')).Where(f => f.Length == 3 && f[0] == "PLAY" && f[1] == $"live/{stream}")
                    .Select(f => long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)).ToList()
                : [];
            if (sessions.Count < count)
            {
                await Task.Delay(50);  // a bounded probe: nginx's log is the only record of ended sessions
            }
        }
        return sessions;
    }

    private string PublisherLog
    {
        get { lock (_publisherLog) { return _publisherLog.ToString(); } }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _publisher, _nginx })
        {
            if (process is null)
            {
                continue;
            }
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
