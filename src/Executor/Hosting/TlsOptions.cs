namespace PerfTest.Executor.Hosting;

/// <summary>
/// TLS of the executor channel for one side: the control plane's section "Executors:Tls", an executor's
/// "Executor:Tls". Every file is PEM, as a Kubernetes TLS Secret mounts it. TLS is on when any key is set;
/// then this side's certificate is required and every address it listens on or calls must be https://
/// (<see cref="ChannelTls.Load"/>, <see cref="CheckListenUrl"/>, <see cref="CheckCallUrl"/>: each side refuses to
/// start otherwise), so the shared secret never travels in clear.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>This side's certificate (PEM; intermediate certificates may follow it in the file): its gRPC listener serves HTTPS with it.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM, unencrypted).</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>CA certificates (PEM) the other side's certificates must chain to; the system store when empty.</summary>
    public string CaPath { get; set; } = "";

    /// <summary>Mutual TLS: the listener refuses a connection that does not present a client certificate chaining to the CA.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>The client certificate (PEM) this side presents when it calls the other side; none when empty.</summary>
    public string ClientCertificatePath { get; set; } = "";

    /// <summary>The private key of <see cref="ClientCertificatePath"/> (PEM, unencrypted).</summary>
    public string ClientKeyPath { get; set; } = "";

    /// <summary>True when any key is set: the channel is then TLS only.</summary>
    public bool Enabled =>
        CertificatePath.Length > 0 || KeyPath.Length > 0 || CaPath.Length > 0 || RequireClientCertificate
        || ClientCertificatePath.Length > 0 || ClientKeyPath.Length > 0;

    /// <summary>Why this side may not listen on <paramref name="url"/>, or null when it may.</summary>
    /// <param name="section">This section's configuration path ("Executors:Tls", "Executor:Tls"), for the message.</param>
    /// <param name="key">The configuration key the address comes from, for the message.</param>
    /// <param name="url">The listening address.</param>
    public string? CheckListenUrl(string section, string key, string url) => IsHttps(url) switch
    {
        false when Enabled => $"{key} is {url}, but {section} is configured: the executor channel is then https:// only, " +
                              "so the shared secret never travels in clear",
        true when !Enabled => $"{key} is {url}, but {section}:CertificatePath and {section}:KeyPath are not set: an https:// listener needs them",
        _ => null,
    };

    /// <summary>Why this side may not send the shared secret to <paramref name="url"/>, or null when it may.</summary>
    /// <param name="section">This section's configuration path, for the message.</param>
    /// <param name="key">What the address is (a configuration key, an executor's address), for the message.</param>
    /// <param name="url">The address called.</param>
    public string? CheckCallUrl(string section, string key, string url) => Enabled && !IsHttps(url)
        ? $"{key} is {url}, but {section} is configured: the executor channel is then https:// only, so the shared secret never travels in clear"
        : null;

    private static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
