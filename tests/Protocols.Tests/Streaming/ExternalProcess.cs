using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests.Streaming;

/// <summary>Starting the real peers the streaming tests use (nginx, ffmpeg) from their Debian packages.</summary>
internal static class ExternalProcess
{
    /// <summary>The binary's path; a clear failure (not a skip) when the package is missing.</summary>
    public static string Require(string path, string package) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: install the Debian package {package} (test.sh does when run as root)");

    /// <summary>Runs a command to its end (bounded), failing with its output when it fails.</summary>
    public static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        }
    }

    /// <summary>Runs ffmpeg (quiet, bounded) to its end: how the tests make real media.</summary>
    public static Task FfmpegAsync(params string[] arguments) =>
        RunAsync(Require("/usr/bin/ffmpeg", "ffmpeg"), ["-hide_banner", "-loglevel", "error", "-nostdin", .. arguments]);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (bounded) until something accepts TCP connections on the port: the server is up.</summary>
    public static async Task WaitForPortAsync(int port, Process owner)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (owner.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {owner.ExitCode} before listening on {port}");
            }
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);  // a readiness probe, bounded: nginx has no other way to say it listens
            }
        }
        throw new InvalidOperationException($"nothing listens on 127.0.0.1:{port} after 10 s");
    }
}
