namespace PerfTest.ControlPlane.Targets;

/// <summary>
/// Section "Targets": where cards may send requests, in debug and in runs (docs/security.md, "Target policy"). Each
/// entry is a CIDR network ("10.0.0.0/8"), an IP address or a host name ("db.internal", "*.corp.example").
/// </summary>
public sealed class TargetsOptions
{
    /// <summary>Allowed beyond public addresses, for every project (loopback, private ranges, internal names).</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Refused for every project; wins over any allow.</summary>
    public List<string> Deny { get; set; } = [];

    /// <summary>More entries per IAM project id (section "Targets:Projects:{project_id}"), added to the deployment's.</summary>
    public Dictionary<string, ProjectTargets> Projects { get; set; } = [];
}

/// <summary>The entries one IAM project adds to the deployment's lists.</summary>
public sealed class ProjectTargets
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];
}
