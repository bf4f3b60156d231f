using System.Net;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// A pod's network: a namespace of its own (<c>ip netns add</c>) with loopback and <c>eth0</c>, one end of a veth pair
/// whose other end is on the <see cref="Bridge"/>, and the address <see cref="Address"/>/24. Its
/// <c>/etc/netns/NAME/hosts</c> is what <c>ip netns exec</c> bind-mounts over /etc/hosts: the cluster DNS of the pods
/// started in it. Deleting the namespace deletes the veth pair.
/// </summary>
internal sealed class PodNamespace : IDisposable
{
    private PodNamespace(string name, IPAddress address)
    {
        Name = name;
        Address = address;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    private string EtcDirectory => Path.Combine("/etc/netns", Name);

    public static PodNamespace Create(Bridge bridge, int index)
    {
        var ns = new PodNamespace($"ptsim{bridge.Id}-{index}", bridge.NextAddress());
        var hostEnd = $"ptv{bridge.Id}h{index}";
        try
        {
            Directory.CreateDirectory(ns.EtcDirectory);
            ns.WriteHosts([]);
            Native.Ip("netns", "add", ns.Name);
            Native.Ip("link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
            Native.Ip("link", "set", hostEnd, "master", bridge.Name, "up");
            Native.Ip("-n", ns.Name, "addr", "add", $"{ns.Address}/24", "dev", "eth0");
            Native.Ip("-n", ns.Name, "link", "set", "eth0", "up");
            Native.Ip("-n", ns.Name, "link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>
    /// Rewrites the namespace's hosts file in place (same inode: a running pod's bind mount keeps showing it) with
    /// localhost and the given names.
    /// </summary>
    public void WriteHosts(IEnumerable<(string Name, IPAddress Address)> names)
    {
        var lines = new List<string> { "127.0.0.1 localhost", "::1 localhost" };
        lines.AddRange(names.Select(n => $"{n.Address} {n.Name}"));
        using var file = new FileStream(Path.Combine(EtcDirectory, "hosts"), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        var bytes = System.Text.Encoding.ASCII.GetBytes(string.Join('\n', lines) + "\n");
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }

    public void Dispose()
    {
        Native.TryIp("netns", "del", Name);
        if (Directory.Exists(EtcDirectory))
        {
            Directory.Delete(EtcDirectory, recursive: true);
        }
    }
}
