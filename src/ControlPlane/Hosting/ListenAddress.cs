using System.Globalization;
using System.Net;

namespace PerfTest.ControlPlane.Hosting;

/// <summary>Server addresses such as http://127.0.0.1:5080, http://[::1]:5080 or http://+:80.</summary>
public static class ListenAddress
{
    /// <summary>True when the address only accepts loopback connections.</summary>
    public static bool IsLoopback(string address) => IsLoopbackHost(Split(address).Host);

    /// <summary>True for localhost or a loopback IP literal (an IPv6 one with or without its brackets).</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The host (brackets of an IPv6 literal removed) and the port, when the address names one.</summary>
    public static (string Host, int? Port) Split(string address)
    {
        var rest = address;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }
        string host;
        var portText = "";
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = rest[1..close];
            portText = rest[(close + 1)..].TrimStart(':');
        }
        else if (rest.LastIndexOf(':') is var colon and > 0)
        {
            host = rest[..colon];
            portText = rest[(colon + 1)..];
        }
        else
        {
            host = rest;
        }
        return (host, int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null);
    }
}
