namespace PerfTest.Executor.Hosting;

/// <summary>A standalone executor's settings (section "Executor").</summary>
public sealed class ExecutorOptions
{
    /// <summary>The control plane's gRPC address, e.g. http://127.0.0.1:5081 (https:// when <see cref="Tls"/> is configured).</summary>
    public string ControlPlaneUrl { get; set; } = "";

    /// <summary>The secret shared with the control plane (its Executors:SharedSecret).</summary>
    public string SharedSecret { get; set; } = "";

    /// <summary>The private resource group (cluster_id) this executor joins.</summary>
    public long ClusterId { get; set; }

    /// <summary>This executor's name; a new one per start when empty.</summary>
    public string Id { get; set; } = "";

    /// <summary>Where the control plane reaches this executor; the first listening address when empty.</summary>
    public string AdvertisedUrl { get; set; } = "";

    /// <summary>TLS of the executor channel (section "Executor:Tls"): this executor's listener and its calls to the control plane.</summary>
    public TlsOptions Tls { get; set; } = new();
}
