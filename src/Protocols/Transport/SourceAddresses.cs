using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using PerfTest.Protocols.Targets;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// The local addresses new outgoing TCP connections are bound to, taken in turn (round robin, per address family).
/// One source address has about 28,000 ephemeral ports towards one target address and port; spreading the
/// connections over N source addresses gives N times that, so one executor can hold more connections to one target
/// than one address allows. A connection to a family with no source address (IPv6 with only IPv4 sources) is not bound.
/// </summary>
public sealed class SourceAddresses
{
    /// <summary>The most addresses a specification may name: a larger range is a typo, not a plan.</summary>
    public const int MaxAddresses = 65_536;

    private const int IpBindAddressNoPort = 24;  // IP_BIND_ADDRESS_NO_PORT (Linux 4.2+), level IPPROTO_IP

    private readonly IPAddress[] _v4;
    private readonly IPAddress[] _v6;
    private uint _next4;
    private uint _next6;

    private SourceAddresses(IReadOnlyList<IPAddress> addresses)
    {
        Addresses = addresses;
        _v4 = [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)];
        _v6 = [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)];
    }

    /// <summary>
    /// The process's source addresses, or null (the kernel picks the source, as usual). Set once at start by the
    /// standalone executor (Executor:SourceAddresses); every HTTP, WebSocket, HLS, HTTP-FLV, TCP, RTMP and MQTT
    /// connection opened afterwards takes its next address.
    /// </summary>
    public static SourceAddresses? Current { get; set; }

    /// <summary>Every address, in the order they are handed out.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>
    /// Parses a comma-separated list of addresses and IPv4 ranges ("127.0.0.2-127.0.0.200", "10.0.0.5,10.0.0.6",
    /// "fd00::5"). Each address must belong to this machine (any 127.0.0.0/8 address does on Linux) and may not be
    /// unspecified, multicast, link-local or a cloud metadata address.
    /// </summary>
    /// <exception cref="FormatException">With a message naming the entry at fault.</exception>
    public static SourceAddresses Parse(string specification) => Parse(specification, IsLocal);

    internal static SourceAddresses Parse(string specification, Func<IPAddress, bool> isLocal)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var addresses = new List<IPAddress>();
        foreach (var entry in specification.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var address in Expand(entry, MaxAddresses - addresses.Count))
            {
                Check(address, entry, isLocal);
                addresses.Add(address);
            }
        }
        if (addresses.Count == 0)
        {
            throw new FormatException($"'{specification}' names no address; write e.g. 127.0.0.2-127.0.0.200 or 10.0.0.5,10.0.0.6.");
        }
        if (addresses.Distinct().Count() != addresses.Count)
        {
            throw new FormatException($"'{specification}' names an address twice.");
        }
        return new SourceAddresses(addresses);
    }

    /// <summary>The next address of <paramref name="family"/>, or null when there is none of that family.</summary>
    public IPAddress? Next(AddressFamily family)
    {
        var pool = family == AddressFamily.InterNetwork ? _v4 : family == AddressFamily.InterNetworkV6 ? _v6 : [];
        if (pool.Length == 0)
        {
            return null;
        }
        ref uint next = ref (family == AddressFamily.InterNetwork ? ref _next4 : ref _next6);
        uint turn = Interlocked.Increment(ref next) - 1;
        return pool[turn % (uint)pool.Length];
    }

    /// <summary>
    /// Binds an unconnected socket to the next address of its family (port chosen at connect), when there is one.
    /// IP_BIND_ADDRESS_NO_PORT defers the port to connect, so the kernel only needs the 4-tuple to be unique: without
    /// it bind reserves a port of the address for every destination, and one address holds at most ~28,000 sockets.
    /// </summary>
    public void Bind(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (Next(socket.AddressFamily) is not { } source)
        {
            return;
        }
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
        }
        socket.Bind(new IPEndPoint(source, 0));
    }

    private static IEnumerable<IPAddress> Expand(string entry, int room)
    {
        int dash = entry.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return [ParseOne(entry, entry)];
        }
        var first = ParseOne(entry[..dash].Trim(), entry);
        var last = ParseOne(entry[(dash + 1)..].Trim(), entry);
        if (first.AddressFamily != AddressFamily.InterNetwork || last.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new FormatException($"'{entry}': ranges are IPv4 only; list IPv6 addresses one by one.");
        }
        uint from = ToUInt(first), to = ToUInt(last);
        if (to < from)
        {
            throw new FormatException($"'{entry}': the range ends before it starts.");
        }
        if (to - from >= (uint)room)
        {
            throw new FormatException($"'{entry}': more than {MaxAddresses} source addresses in all.");
        }
        return Enumerable.Range(0, (int)(to - from + 1)).Select(i => FromUInt(from + (uint)i));
    }

    private static IPAddress ParseOne(string text, string entry) =>
        IPAddress.TryParse(text, out var address) && (text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
            ? address
            : throw new FormatException($"'{entry}': '{text}' is not an IP address.");

    private static void Check(IPAddress address, string entry, Func<IPAddress, bool> isLocal)
    {
        var kind = AddressClassifier.Classify(address);
        if (kind is AddressClass.Unspecified or AddressClass.MulticastOrReserved || AddressClassifier.IsAlwaysRefused(kind))
        {
            throw new FormatException($"'{entry}': {address} is {kind}, not an address to send from.");
        }
        if (!isLocal(address))
        {
            throw new FormatException($"'{entry}': {address} is not an address of this machine (see `ip addr`).");
        }
    }

    // Linux answers for the whole of 127.0.0.0/8 on lo; other addresses must be configured on an interface.
    private static bool IsLocal(IPAddress address) =>
        AddressClassifier.Classify(address) == AddressClass.Loopback
        || NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(u => u.Address.Equals(address));

    private static uint ToUInt(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static IPAddress FromUInt(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
