using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb and pg_ctl from /usr/lib/postgresql/*/bin, as ./test.sh starts
/// the shared one), on a private port and data directory, so that the test can stop and start it without
/// disturbing the shared server. Run as root, the PostgreSQL tools run as the postgres user. Deleted on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _work;
    private readonly int _port;

    private ThrowawayPostgres(string bin, string work, int port)
    {
        _bin = bin;
        _work = work;
        _port = port;
    }

    private string DataDirectory => Path.Combine(_work, "pg");

    /// <summary>The connection string of the cluster's <c>postgres</c> database (trust authentication, no password).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _port, Username = "perftest", Database = "postgres", Pooling = true,
    }.ConnectionString;

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the throw-away PostgreSQL cluster is started from the Debian packages' tools, on Linux");
        }
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL (initdb, pg_ctl under /usr/lib/postgresql/*/bin) is not installed: " +
                "run the tests with ./test.sh, which installs it");
        }
        // World-writable, so that the postgres user (when we are root) can create the data directory, socket and log in it.
        var work = Path.Combine(Path.GetTempPath(), "perftest-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var server = new ThrowawayPostgres(bin, work, FreePort());
        try
        {
            await server.RunAsync("initdb", "-D", server.DataDirectory, "-U", "perftest", "--auth=trust", "-E", "UTF8");
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the (stopped) cluster and returns once it accepts connections.</summary>
    public Task StartAgainAsync() => RunAsync("pg_ctl", "-D", DataDirectory, "-w", "-t", "60",
        "-o", $"-p {_port} -k {_work} -c listen_addresses=127.0.0.1 -c fsync=off",
        "-l", Path.Combine(_work, "pg.log"), "start");

    /// <summary>Stops the cluster at once (<c>pg_ctl stop -m immediate</c>): every connection is cut, as in a crash.</summary>
    public Task StopImmediatelyAsync() => RunAsync("pg_ctl", "-D", DataDirectory, "-w", "-m", "immediate", "stop");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopImmediatelyAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the directory goes all the same.
            }
        }
        Directory.Delete(_work, recursive: true);
    }

    private async Task RunAsync(string tool, params string[] args)
    {
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(_bin, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(_bin, tool) })
            {
                info.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
