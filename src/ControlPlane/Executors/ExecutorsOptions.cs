using PerfTest.Executor.Hosting;

namespace PerfTest.ControlPlane.Executors;

/// <summary>Section "Executors": how standalone executors join private resource groups.</summary>
public sealed class ExecutorsOptions
{
    /// <summary>Secret shared with standalone executors; without it no executor can register.</summary>
    public string SharedSecret { get; set; } = "";

    /// <summary>Where executors reach the control plane's gRPC registration service (HTTP/2), e.g. http://127.0.0.1:5081 (https:// with <see cref="Tls"/>).</summary>
    public string GrpcUrl { get; set; } = "";

    public int HeartbeatSeconds { get; set; } = 2;

    /// <summary>
    /// A running executor that sends no second for this long is attached again, and counted lost when that fails;
    /// its share goes to the others (a process that dies closes its connection and is found out at once).
    /// </summary>
    public int SilenceSeconds { get; set; } = 3;

    /// <summary>How far ahead of the control plane's clock an executor's second may be; one further is refused and ends its case run.</summary>
    public int MaxClockSkewSeconds { get; set; } = 30;

    /// <summary>Let HTTPS targets use self-signed certificates.</summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>TLS of the executor channel (section "Executors:Tls"): the registration listener and the calls to executors.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Private groups bound to the IAM projects that may use them; a group listed nowhere is open to every project.</summary>
    public List<GroupBinding> Groups { get; set; } = [];
}

/// <summary>One private resource group and the IAM project ids (tenants) that may start or debug on it.</summary>
public sealed class GroupBinding
{
    /// <summary>The group's cluster_id.</summary>
    public long ClusterId { get; set; }

    /// <summary>The projects that may use it; none (an empty list) closes the group to every project.</summary>
    public List<string> ProjectIds { get; set; } = [];
}
