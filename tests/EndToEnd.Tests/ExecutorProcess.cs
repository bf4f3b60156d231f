using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PerfTest.EndToEnd.Tests;

/// <summary>A standalone executor in a process of its own (dotnet PerfTest.Executor.dll), killed on dispose.</summary>
public sealed class ExecutorProcess : IDisposable
{
    private readonly Process _process;

    private ExecutorProcess(Process process) => _process = process;

    public static ExecutorProcess Start(string controlPlaneGrpcUrl, string secret, long clusterId, string id)
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
                     $"--Executor:ClusterId={clusterId}", $"--Executor:Id={id}", $"--Urls=http://127.0.0.1:{FreePort()}",
                 })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ExecutorProcess(process);
    }

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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
