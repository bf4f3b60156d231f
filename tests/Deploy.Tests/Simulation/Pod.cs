using System.Diagnostics;
using System.Net;
using PerfTest.ControlPlane.Tests.Infrastructure;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// A pod of a <see cref="RenderedDeployment"/>: its container's command run in the pod's <see cref="PodNamespace"/>
/// (<c>ip netns exec</c>, which execs, so the process id is the container's) as the manifest's user
/// (<c>setpriv</c>), with the rendered environment and nothing of the test's, in the build output standing in for the
/// image's WORKDIR. Its output is kept line by line in <see cref="Log"/>. Stopping it is what the kubelet does:
/// SIGTERM, then SIGKILL once the grace period is over.
/// </summary>
internal sealed class Pod : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly Process _process;
    private readonly string _tmp;

    private Pod(string name, RenderedDeployment deployment, PodNamespace network, Process process, string tmp)
    {
        Name = name;
        Deployment = deployment;
        Network = network;
        _process = process;
        _tmp = tmp;
    }

    public string Name { get; }

    public RenderedDeployment Deployment { get; }

    public PodNamespace Network { get; }

    public IPAddress Address => Network.Address;

    /// <summary>The container's standard output and error.</summary>
    public LineLog Log { get; } = new();

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts the pod's container.</summary>
    public static Pod Start(RenderedDeployment deployment, string name, PodNamespace network)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("pods are processes in Linux network namespaces");
        }
        var image = ContainerImage.Of(deployment.Container.Image);
        var appDirectory = image.AppDirectory;
        var env = deployment.Environment(image, name, network.Address);
        // The kubelet's additions; HOME and TMPDIR stand for the image's home and the pod's emptyDir /tmp (the root
        // filesystem is read-only in the manifests, so the process may write only there).
        var tmp = Directory.CreateTempSubdirectory("perftest-pod-").FullName;
        File.SetUnixFileMode(tmp, (UnixFileMode)0x1FF);
        env["HOSTNAME"] = name;
        env["HOME"] = tmp;
        env["TMPDIR"] = tmp;
        var command = deployment.CommandLine(image, env).ToList();
        if (command[0] == "dotnet" && command.Count > 1 && !Path.IsPathRooted(command[1]))
        {
            command[1] = Path.Combine(appDirectory, command[1]);
            if (!File.Exists(command[1]))
            {
                throw new InvalidOperationException($"{name}: {command[1]} is not built (the image's entrypoint, relative to WORKDIR {image.WorkDir})");
            }
        }
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = appDirectory,
        };
        info.Environment.Clear();
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }
        var argv = new List<string> { "netns", "exec", network.Name };
        if (deployment.RunAsUser is { } uid)
        {
            argv.AddRange(["setpriv", $"--reuid={uid}", $"--regid={deployment.RunAsGroup ?? uid}", "--clear-groups", "--"]);
        }
        argv.AddRange(command);
        foreach (var a in argv)
        {
            info.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = info };
        var pod = new Pod(name, deployment, network, process, tmp);
        process.OutputDataReceived += (_, e) => pod.Received(e.Data);
        process.ErrorDataReceived += (_, e) => pod.Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return pod;
    }

    /// <summary>True when the readiness probe (HTTP GET of its path on the pod's address and port) answers 2xx or 3xx.</summary>
    public async Task<bool> IsReadyAsync()
    {
        var (path, port) = Deployment.ReadinessProbe;
        try
        {
            using var response = await Probe.GetAsync(new Uri($"http://{Address}:{port}{path}"));
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls the readiness probe until it passes; fails when the process ends or <paramref name="limit"/> passes.</summary>
    public async Task WaitReadyAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!await IsReadyAsync())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"pod {Name} exited ({_process.ExitCode}) before it was ready:\n{Tail()}");
            }
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"pod {Name} was not ready within {limit}:\n{Tail()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>What Kubernetes does to delete the pod: SIGTERM, wait up to the grace period, then SIGKILL.</summary>
    /// <returns>True when it ended within the grace period.</returns>
    public async Task<bool> StopAsync()
    {
        Native.Signal(_process.Id, Native.SigTerm);
        using var grace = new CancellationTokenSource(Deployment.TerminationGracePeriod);
        try
        {
            await _process.WaitForExitAsync(grace.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return false;
        }
    }

    /// <summary>SIGKILL, as a node or container crash; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        Native.Signal(_process.Id, Native.SigKill);
        await _process.WaitForExitAsync();
    }

    /// <summary>The last lines of its log, for failure messages.</summary>
    public string Tail(int lines = 40) => string.Join('\n', Log.Lines.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            Log.Add(line);
        }
    }
}
