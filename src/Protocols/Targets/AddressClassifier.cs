using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Targets;

/// <summary>Classifies an address without connecting to it (pure arithmetic on its bytes).</summary>
public static class AddressClassifier
{
    // Cloud metadata services outside 169.254.0.0/16 (which is refused whole): AWS's IPv6 endpoint, Alibaba Cloud,
    // Azure's wire server, Oracle Cloud's legacy endpoint. 169.254.169.254 (AWS, GCP, Azure, Huawei, OpenStack...) and
    // Tencent's 169.254.0.23 are link-local.
    private static readonly Network[] s_metadata =
        [.. new[] { "fd00:ec2::254", "100.100.100.200", "168.63.129.16", "192.0.0.192" }.Select(Network.Parse)];

    private static readonly Network[] s_linkLocal = [Network.Parse("169.254.0.0/16"), Network.Parse("fe80::/10")];
    private static readonly Network[] s_loopback = [Network.Parse("127.0.0.0/8"), Network.Parse("::1")];
    private static readonly Network[] s_unspecified = [Network.Parse("0.0.0.0/8"), Network.Parse("::")];
    private static readonly Network[] s_private =
        [.. new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7" }.Select(Network.Parse)];
    private static readonly Network[] s_multicastOrReserved =
        [Network.Parse("224.0.0.0/4"), Network.Parse("240.0.0.0/4"), Network.Parse("ff00::/8")];

    // NAT64's well-known prefix: a 64:ff9b::a9fe:a9fe packet reaches 169.254.169.254 through the translator.
    private static readonly Network s_nat64 = Network.Parse("64:ff9b::/96");

    public static AddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = Unmap(address);
        return true switch
        {
            _ when In(s_linkLocal, plain) => AddressClass.LinkLocal,
            _ when In(s_metadata, plain) => AddressClass.Metadata,
            _ when In(s_loopback, plain) => AddressClass.Loopback,
            _ when In(s_unspecified, plain) => AddressClass.Unspecified,
            _ when In(s_private, plain) => AddressClass.Private,
            _ when In(s_multicastOrReserved, plain) => AddressClass.MulticastOrReserved,
            _ => AddressClass.Public,
        };
    }

    /// <summary>Refused whatever a policy allows.</summary>
    public static bool IsAlwaysRefused(AddressClass kind) => kind is AddressClass.LinkLocal or AddressClass.Metadata;

    /// <summary>
    /// The IPv4 address an IPv6 one stands for (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), else the address
    /// itself: the policy judges where the packets go, whatever family they are written in.
    /// </summary>
    public static IPAddress Unmap(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (s_nat64.Contains(address))
        {
            return new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
        }
        return address;
    }

    /// <summary>"link-local", "a cloud metadata address", ... as refusals say it.</summary>
    public static string Describe(AddressClass kind) => kind switch
    {
        AddressClass.LinkLocal => "link-local",
        AddressClass.Metadata => "a cloud metadata address",
        AddressClass.Loopback => "loopback",
        AddressClass.Unspecified => "unspecified (this host)",
        AddressClass.Private => "private",
        AddressClass.MulticastOrReserved => "multicast or reserved",
        _ => "public",
    };

    private static bool In(Network[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
