using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests.Mqtt;

/// <summary>
/// A private mosquitto on a free 127.0.0.1 port with a temp config, killed on dispose. Never the system
/// service on 1883. The binary must be installed (Debian package mosquitto; test.sh installs it).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];
    private readonly DirectoryInfo _dir;
    private Process? _process;

    private MosquittoBroker(DirectoryInfo dir, int port, bool tls)
    {
        _dir = dir;
        Port = port;
        Tls = tls;
    }

    public int Port { get; }

    /// <summary>The listener speaks MQTT over TLS with a self-signed certificate for 127.0.0.1.</summary>
    public bool Tls { get; }

    public string Url => $"{(Tls ? "mqtts" : "mqtt")}://127.0.0.1:{Port}";

    /// <summary>Starts a broker; with <paramref name="user"/> only that user/password may connect (no anonymous);
    /// with <paramref name="tls"/> its listener is TLS-only, with a self-signed certificate made here.</summary>
    public static async Task<MosquittoBroker> StartAsync(string? user = null, string? password = null, bool tls = false)
    {
        var binary = Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "mosquitto is not installed (looked in " + string.Join(", ", Candidates) +
            "): install the Debian package with `apt-get install -y mosquitto` (test.sh does this when run as root)");
        var dir = Directory.CreateTempSubdirectory("perftest-mosquitto-");
        var broker = new MosquittoBroker(dir, FreePort(), tls);
        var config = new List<string>
        {
            $"listener {broker.Port} 127.0.0.1",
            "persistence false",
            "log_dest stderr",
            "log_type error", "log_type warning", "log_type notice", "log_type information",
            // When the tests run as root, mosquitto would switch to the "mosquitto" user and lose the temp dir.
            $"user {Environment.UserName}",
            "max_keepalive 65535",
        };
        if (tls)
        {
            config.AddRange(await WriteCertificateAsync(dir.FullName));  // the options of the one listener above
        }
        if (user != null)
        {
            var passwords = Path.Combine(dir.FullName, "passwords");
            await RunAsync(Path.Combine(Path.GetDirectoryName(binary)!, "..", "bin", "mosquitto_passwd"),
                "-b", "-c", passwords, user, password ?? "");
            config.Add("allow_anonymous false");
            config.Add($"password_file {passwords}");
        }
        else
        {
            config.Add("allow_anonymous true");
        }
        var configPath = Path.Combine(dir.FullName, "mosquitto.conf");
        await File.WriteAllLinesAsync(configPath, config);
        await broker.LaunchAsync(binary, configPath);
        return broker;
    }

    /// <summary>A self-signed certificate for 127.0.0.1 as PEM files; returns the listener's certfile/keyfile lines.</summary>
    private static async Task<string[]> WriteCertificateAsync(string dir)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var (certFile, keyFile) = (Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        return [$"certfile {certFile}", $"keyfile {keyFile}"];
    }

    /// <summary>A port nothing listens on now (the kernel's pick for port 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task LaunchAsync(string binary, string configPath)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary, ["-c", configPath])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        // mosquitto logs "... running" once its listeners are open: the readiness signal, no polling.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            log.Enqueue(e.Data);
            if (e.Data.Contains(" running", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            "mosquitto exited at start: " + string.Join(" | ", log)));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>Kills the broker (as a crash would: clients see their connections reset/closed).</summary>
    public async Task StopAsync()
    {
        if (_process is { } p)
        {
            _process = null;
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* already exited */ }
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            p.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { _dir.Delete(recursive: true); } catch (IOException) { /* best effort */ }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"cannot start {file}");
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {error}");
    }
}
