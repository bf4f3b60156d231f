namespace PerfTest.ControlPlane.Runs;

/// <summary>Section "Runs": who owns the runs this control plane starts, and how long others wait before taking them over.</summary>
public sealed class RunsOptions
{
    /// <summary>
    /// This control plane's name as the owner of its runs; unique among the replicas on one database (the manifests set
    /// the pod name). The host name when empty: a control plane restarted on the same host takes its runs back at once.
    /// </summary>
    public string InstanceId { get; set; } = "";

    /// <summary>How long a run's lease lasts; the owner renews it every second, another replica takes the run over once it expired.</summary>
    public int LeaseSeconds { get; set; } = 10;

    /// <summary>After taking a run over, how long to wait for executors that still run its plans to show up before it ends 3.</summary>
    public int ReattachSeconds { get; set; } = 15;

    public string Owner => InstanceId.Length > 0 ? InstanceId : Environment.MachineName;
}
