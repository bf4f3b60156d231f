using Microsoft.AspNetCore.Http;

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

    /// <summary>
    /// A plain HTTP/1.1 address for the health probes, e.g. http://0.0.0.0:7002 (Kubernetes' HTTP probes speak
    /// HTTP/1.1, the gRPC port only HTTP/2); its port must differ from those of Urls. None when empty.
    /// </summary>
    public string HealthUrl { get; set; } = "";

    /// <summary>How long /metrics keeps a case run's series after its final second (docs/observability.md).</summary>
    public int MetricsRetentionSeconds { get; set; } = 300;

    /// <summary>The port of <see cref="HealthUrl"/>; null when there is none.</summary>
    public int? HealthPort => HealthUrl.Length == 0 ? null : BindingAddress.Parse(HealthUrl).Port;

    /// <summary>Whether <paramref name="address"/>, one the server listens on, is the health address.</summary>
    public bool IsHealthAddress(string address) => HealthPort is { } port && BindingAddress.Parse(address).Port == port;

    /// <summary>
    /// How long a plan runs on after the control plane's stream broke (it died or restarted), waiting for it to attach
    /// again; then the plan's load stops at once. 0: it stops at once, as when the stream breaks.
    /// </summary>
    public int OrphanGraceSeconds { get; set; } = (int)Running.EngineOptions.DefaultOrphanGrace.TotalSeconds;

    /// <summary>
    /// How many MiB of seconds a plan keeps while its control plane takes them slower than they come (or is away);
    /// past that the plan stops with the reason outbox_full instead of dropping seconds.
    /// </summary>
    public int OutboxMaxMegabytes { get; set; } = (int)(Streaming.PlanOutbox.DefaultMaxBytes / (1024 * 1024));

    /// <summary>
    /// Local addresses the executor's outgoing load connections are bound to in turn, e.g. "127.0.0.2-127.0.0.200" or
    /// "10.0.0.5,10.0.0.6" (see <see cref="Protocols.Transport.SourceAddresses.Parse(string)"/>): more concurrent connections
    /// to one target than one source address has ports. Empty: the kernel picks the source.
    /// </summary>
    public string SourceAddresses { get; set; } = "";

    /// <summary>TLS of the executor channel (section "Executor:Tls"): this executor's listener and its calls to the control plane.</summary>
    public TlsOptions Tls { get; set; } = new();
}
