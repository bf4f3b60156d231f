using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Targets;

/// <summary>An IPv4 or IPv6 network in CIDR notation ("10.0.0.0/8", "fd00::/8"); a bare address is a /32 or /128.</summary>
public sealed class Network
{
    private readonly byte[] _prefix;

    private Network(IPAddress address, int prefixLength)
    {
        _prefix = address.GetAddressBytes();
        PrefixLength = prefixLength;
        Family = address.AddressFamily;
    }

    public AddressFamily Family { get; }

    public int PrefixLength { get; }

    /// <summary>"a.b.c.d/n", "x::y/n" or a bare address; false for anything else (a host name, a bad prefix length).</summary>
    public static bool TryParse(string text, out Network? network)
    {
        network = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        // A scoped IPv6 address (fe80::1%eth0) names an interface, not a network.
        if (addressText.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            return false;
        }
        network = new Network(address, length);
        return true;
    }

    public static Network Parse(string text) =>
        TryParse(text, out var network) ? network! : throw new FormatException($"'{text}' is not a CIDR network or an IP address");

    /// <summary>Whether <paramref name="address"/> (already unmapped: see <see cref="AddressClassifier.Unmap"/>) lies in this network.</summary>
    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var whole = PrefixLength / 8;
        if (!bytes[..whole].SequenceEqual(_prefix.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = PrefixLength % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (bytes[whole] & mask) == (_prefix[whole] & mask);
    }

    public override string ToString() => $"{new IPAddress(_prefix)}/{PrefixLength}";
}
