using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PerfTest.ControlPlane.Tests.Infrastructure;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// A standalone executor in a process of its own (dotnet PerfTest.Executor.dll), killed on dispose. Its console
/// output (the log) is kept line by line in <see cref="Output"/>.
/// </summary>
public sealed class ExecutorProcess : IDisposable
{
    private readonly Process _process;

    private ExecutorProcess(Process process) => _process = process;

    /// <param name="controlPlaneGrpcUrl">Executor:ControlPlaneUrl.</param>
    /// <param name="secret">Executor:SharedSecret.</param>
    /// <param name="clusterId">Executor:ClusterId.</param>
    /// <param name="id">Executor:Id.</param>
    /// <param name="more">More arguments, e.g. "--Executor:Tls:CaPath=...".</param>
    /// <param name="scheme">The scheme of its listening address (https with Executor:Tls).</param>
    public static ExecutorProcess Start(string controlPlaneGrpcUrl, string secret, long clusterId, string id,
        IEnumerable<string>? more = null, string scheme = "http")
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PerfTest.Executor.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     dll, $"--Executor:ControlPlaneUrl={controlPlaneGrpcUrl}", $"--Executor:SharedSecret={secret}",
                     $"--Executor:ClusterId={clusterId}", $"--Executor:Id={id}", $"--Urls={scheme}://127.0.0.1:{FreePort()}",
                 }.Concat(more ?? []))
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info };
        var executor = new ExecutorProcess(process);
        process.OutputDataReceived += (_, e) => executor.Received(e.Data);
        process.ErrorDataReceived += (_, e) => executor.Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return executor;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Asks it to shut down as Kubernetes does (SIGTERM): it leaves its group and drains.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills it at once (SIGKILL): it says nothing, its connections are reset.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Its standard output and error, line by line.</summary>
    public LineLog Output { get; } = new();

    /// <summary>Completes with the exit code once the process has ended and its output is read to the end.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            Output.Add(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
