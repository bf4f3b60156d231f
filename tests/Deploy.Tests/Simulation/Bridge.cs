using System.Net;
using System.Net.NetworkInformation;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// The simulated cluster's network: a Linux bridge with the private subnet 10.243.X.0/24 (X chosen so that no
/// interface of this machine has an address in it), the host at .1. Each <see cref="PodNamespace"/> hangs on it by a
/// veth pair. Nothing routes beyond the subnet: pods reach each other and the host, nothing else.
/// </summary>
internal sealed class Bridge : IDisposable
{
    private int _nextHost = 2;

    private Bridge(string id, string name, byte subnet)
    {
        Id = id;
        Name = name;
        Subnet = subnet;
    }

    /// <summary>This run's short id, in every interface and namespace name (Linux allows 15 characters for an interface).</summary>
    public string Id { get; }

    public string Name { get; }

    /// <summary>The third byte of 10.243.X.0/24.</summary>
    public byte Subnet { get; }

    public IPAddress HostAddress => Address(1);

    public string Cidr => $"10.243.{Subnet}.0/24";

    public IPAddress Address(int host) => IPAddress.Parse($"10.243.{Subnet}.{host}");

    /// <summary>The next free address of the subnet for a namespace.</summary>
    public IPAddress NextAddress() => _nextHost < 255 ? Address(_nextHost++) : throw new InvalidOperationException("the /24 is full");

    public static Bridge Create()
    {
        var id = Convert.ToHexString(Guid.NewGuid().ToByteArray()[..3]).ToLowerInvariant();
        var taken = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.GetAddressBytes())
            .Where(b => b.Length == 4 && b[0] == 10 && b[1] == 243)
            .Select(b => b[2])
            .ToHashSet();
        var free = Enumerable.Range(0, 256).Select(x => (byte)x).Where(x => !taken.Contains(x)).ToList();
        if (free.Count == 0)
        {
            throw new InvalidOperationException("every 10.243.X.0/24 is in use on this machine");
        }
        var bridge = new Bridge(id, "ptsim" + id, free[Random.Shared.Next(free.Count)]);
        try
        {
            Native.Ip("link", "add", bridge.Name, "type", "bridge");
            Native.Ip("addr", "add", $"{bridge.HostAddress}/24", "dev", bridge.Name);
            Native.Ip("link", "set", bridge.Name, "up");
        }
        catch
        {
            bridge.Dispose();
            throw;
        }
        return bridge;
    }

    public void Dispose() => Native.TryIp("link", "del", Name);
}
