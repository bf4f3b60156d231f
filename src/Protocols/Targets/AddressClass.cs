namespace PerfTest.Protocols.Targets;

/// <summary>What kind of address a target resolved to, as the target policy judges it.</summary>
public enum AddressClass
{
    /// <summary>Anything not below: allowed unless denied.</summary>
    Public,

    /// <summary>169.254.0.0/16, fe80::/10: where cloud metadata services live. Always refused.</summary>
    LinkLocal,

    /// <summary>A cloud metadata address outside link-local (fd00:ec2::254, 100.100.100.200...). Always refused.</summary>
    Metadata,

    /// <summary>127.0.0.0/8, ::1. Allowed only when allowed.</summary>
    Loopback,

    /// <summary>0.0.0.0/8, ::: connecting to it reaches this host. Allowed only when allowed.</summary>
    Unspecified,

    /// <summary>10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7. Allowed only when allowed.</summary>
    Private,

    /// <summary>224.0.0.0/4, 240.0.0.0/4 (with the broadcast address), ff00::/8. Allowed only when allowed.</summary>
    MulticastOrReserved,
}
