using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb and pg_ctl from /usr/lib/postgresql/*/bin, as ./test.sh starts
/// the shared one), on a private port and data directory, so that the test can stop and start it without
/// disturbing the shared server. Run as root, the PostgreSQL tools run as the postgres user. Deleted on dispose.
/// With a <see cref="Placement"/>, the server runs inside a network namespace (tests/Deploy.Tests' cluster
/// simulation): it listens there on the given address and port and takes the given pg_hba.conf lines, and the test
/// reaches it through its Unix socket.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _work;
    private readonly int _port;
    private readonly Placement? _placement;

    private ThrowawayPostgres(string bin, string work, int port, Placement? placement)
    {
        _bin = bin;
        _work = work;
        _port = port;
        _placement = placement;
    }

    /// <summary>Where the server listens when not on a private 127.0.0.1 port.</summary>
    /// <param name="NetworkNamespace">The network namespace (<c>ip netns</c>) the server runs in.</param>
    /// <param name="ListenAddress">Its <c>listen_addresses</c> there.</param>
    /// <param name="Port">Its port there.</param>
    /// <param name="HbaLines">Lines added to pg_hba.conf, e.g. <c>host all all 10.243.7.0/24 scram-sha-256</c>.</param>
    public sealed record Placement(string NetworkNamespace, string ListenAddress, int Port, IReadOnlyList<string> HbaLines);

    private string DataDirectory => Path.Combine(_work, "pg");

    /// <summary>
    /// The connection string of the cluster's <c>postgres</c> database (trust authentication, no password): on
    /// 127.0.0.1, or on its Unix socket when placed in a network namespace.
    /// </summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = _placement is null ? "127.0.0.1" : _work, Port = _port, Username = User, Database = "postgres", Pooling = true,
    }.ConnectionString;

    /// <summary>The superuser the cluster was created with (<c>initdb -U</c>).</summary>
    public const string User = "perftest";

    public static async Task<ThrowawayPostgres> StartAsync(Placement? placement = null)
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
        var server = new ThrowawayPostgres(bin, work, placement?.Port ?? FreePort(), placement);
        try
        {
            await server.RunAsync("initdb", "-D", server.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8");
            if (placement is not null)
            {
                await File.AppendAllLinesAsync(Path.Combine(server.DataDirectory, "pg_hba.conf"), placement.HbaLines);
            }
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
        "-o", $"-p {_port} -k {_work} -c listen_addresses={_placement?.ListenAddress ?? "127.0.0.1"} -c fsync=off",
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
        var command = new List<string>();
        if (_placement is not null)
        {
            // The server (pg_ctl's child) inherits the namespace; the socket directory is the same in every namespace.
            command.AddRange(["ip", "netns", "exec", _placement.NetworkNamespace]);
        }
        if (Environment.UserName == "root")
        {
            command.AddRange(["runuser", "-u", "postgres", "--"]);
        }
        command.Add(Path.Combine(_bin, tool));
        command.AddRange(args);
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
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
