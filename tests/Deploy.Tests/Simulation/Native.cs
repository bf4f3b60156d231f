using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>The few Linux calls the simulation makes itself: signals, <c>ip</c>, and a socket opened in another network namespace.</summary>
internal static partial class Native
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    /// <summary>Sends <paramref name="signal"/> to the process; false when it is gone already.</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>Runs <c>ip</c> with these arguments; throws with its error output when it fails.</summary>
    public static void Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ip (iproute2) did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Trim()}");
        }
    }

    /// <summary>As <see cref="Ip"/>, for clean-up: a failure is returned, not thrown.</summary>
    public static string? TryIp(params string[] args)
    {
        try
        {
            Ip(args);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// A TCP socket listening on <paramref name="address"/> inside the network namespace <paramref name="ns"/>
    /// (<c>/var/run/netns/NS</c>): a thread of its own enters the namespace (setns affects only the calling thread),
    /// opens the socket there and ends. Returns a duplicate of its descriptor, for Kestrel's ListenHandle to own.
    /// </summary>
    public static ulong ListenIn(string ns, IPEndPoint address)
    {
        ulong descriptor = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle("/var/run/netns/" + ns);
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {ns} failed: errno {Marshal.GetLastPInvokeError()}");
                }
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(address);
                socket.Listen(1024);
                var copy = dup((int)socket.Handle);
                if (copy < 0)
                {
                    throw new InvalidOperationException($"dup failed: errno {Marshal.GetLastPInvokeError()}");
                }
                descriptor = (ulong)copy;
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "listen in " + ns };
        thread.Start();
        thread.Join();
        return failure is null ? descriptor : throw new InvalidOperationException($"cannot listen on {address} in {ns}", failure);
    }
}
