using System.Net;

namespace PerfTest.Protocols.Targets;

/// <summary>One list of a target policy (allow or deny): networks in CIDR notation and host names.</summary>
public sealed class TargetList
{
    public static readonly TargetList Empty = new([], []);

    public TargetList(IReadOnlyList<Network> networks, IReadOnlyList<HostPattern> hosts)
    {
        Networks = networks;
        Hosts = hosts;
    }

    public IReadOnlyList<Network> Networks { get; }

    public IReadOnlyList<HostPattern> Hosts { get; }

    /// <summary>
    /// From entries as configured: each a CIDR network, an IP address or a host name (<see cref="HostPattern"/>).
    /// </summary>
    /// <exception cref="FormatException">An entry that is none of these, naming it.</exception>
    public static TargetList Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<Network>();
        var hosts = new List<HostPattern>();
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (Network.TryParse(entry, out var network))
            {
                networks.Add(network!);
            }
            else if (HostPattern.TryParse(entry, out var host))
            {
                hosts.Add(host!);
            }
            else
            {
                throw new FormatException($"'{entry}' is neither a CIDR network, an IP address nor a host name");
            }
        }
        return new TargetList(networks, hosts);
    }

    public bool HasHost(string host) => Hosts.Any(h => h.Matches(host));

    /// <param name="address">Already unmapped (<see cref="AddressClassifier.Unmap"/>).</param>
    public bool HasAddress(IPAddress address) => Networks.Any(n => n.Contains(address));
}
