namespace PerfTest.Protocols.Targets;

/// <summary>A host name of a target list: "db.internal" (that name), or "*.corp.example" (every name below corp.example).</summary>
public sealed class HostPattern
{
    private readonly string _name;
    private readonly bool _subdomains;

    private HostPattern(string name, bool subdomains)
    {
        _name = name;
        _subdomains = subdomains;
    }

    /// <summary>False for anything that is not a DNS name (an address, a URL, an empty text).</summary>
    public static bool TryParse(string text, out HostPattern? pattern)
    {
        var subdomains = text.StartsWith("*.", StringComparison.Ordinal);
        var name = Normalize(subdomains ? text[2..] : text);
        pattern = Uri.CheckHostName(name) == UriHostNameType.Dns ? new HostPattern(name, subdomains) : null;
        return pattern is not null;
    }

    public bool Matches(string host)
    {
        var name = Normalize(host);
        return _subdomains
            ? name.EndsWith("." + _name, StringComparison.OrdinalIgnoreCase)
            : name.Equals(_name, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => _subdomains ? "*." + _name : _name;

    // "Example.COM." and "example.com" are one name.
    private static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
