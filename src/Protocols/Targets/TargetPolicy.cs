using System.Net;

namespace PerfTest.Protocols.Targets;

/// <summary>
/// Where load and debug requests may go (docs/security.md, "Target policy"), judged on the addresses a target resolved
/// to, at connect time, so a name cannot be pointed elsewhere between a check and the connect: the client connects
/// only to the addresses <see cref="Permit"/> returns. In order: link-local and cloud metadata addresses are refused
/// always; then the deny list (networks and host names); then the allow list; then public addresses are allowed and
/// everything else (loopback, private, unspecified, multicast) is refused. Immutable and thread-safe.
/// </summary>
public sealed class TargetPolicy
{
    private readonly Action<string>? _refused;

    /// <param name="allow">Networks and names allowed beyond public addresses.</param>
    /// <param name="deny">Networks and names refused; deny wins over allow.</param>
    /// <param name="refused">Told every refusal's reason (a debug run reports it as the card's error).</param>
    public TargetPolicy(TargetList allow, TargetList deny, Action<string>? refused = null)
    {
        Allow = allow;
        Deny = deny;
        _refused = refused;
    }

    /// <summary>Public addresses only.</summary>
    public static TargetPolicy Default { get; } = new(TargetList.Empty, TargetList.Empty);

    /// <summary>Every address but the always-refused ones: for clients used outside a run (a library user's own targets).</summary>
    public static TargetPolicy Unrestricted { get; } = new(TargetList.Parse(["0.0.0.0/0", "::/0"]), TargetList.Empty);

    public TargetList Allow { get; }

    public TargetList Deny { get; }

    /// <summary>The same rules, telling <paramref name="refused"/> of every refusal.</summary>
    public TargetPolicy Reporting(Action<string> refused) => new(Allow, Deny, refused);

    /// <summary>Why a target written as <paramref name="host"/> is refused before it is resolved, or null.</summary>
    /// <returns>For a literal address its refusal; for a name on the deny list "NAME is on the deny list".</returns>
    public string? RefusalOfHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = host.Trim('[', ']');
        if (IPAddress.TryParse(literal, out var address))
        {
            return RefusalOf(address, null);
        }
        return Deny.HasHost(host) ? $"{host} is on the deny list" : null;
    }

    /// <summary>Why <paramref name="address"/> (which <paramref name="host"/>, if any, resolved to) is refused, or null.</summary>
    public string? RefusalOf(IPAddress address, string? host)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = AddressClassifier.Unmap(address);
        var kind = AddressClassifier.Classify(plain);
        if (AddressClassifier.IsAlwaysRefused(kind))
        {
            return $"{address} is {AddressClassifier.Describe(kind)}";
        }
        if (Deny.HasAddress(plain) || (host is not null && Deny.HasHost(host)))
        {
            return $"{address} is on the deny list";
        }
        if (kind == AddressClass.Public || Allow.HasAddress(plain) || (host is not null && Allow.HasHost(host)))
        {
            return null;
        }
        return $"{address} is {AddressClassifier.Describe(kind)} and not allowed";
    }

    /// <summary>
    /// The addresses <paramref name="host"/> resolved to that may be connected to, in their order; the caller connects
    /// to these and no others.
    /// </summary>
    /// <exception cref="TargetRefusedException">None may: the first refusal's reason.</exception>
    public IPAddress[] Permit(string host, IPAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Length);
        string? first = null;
        var name = IPAddress.TryParse(host, out _) ? null : host;  // a literal address is judged as an address only
        var permitted = new List<IPAddress>(addresses.Length);
        foreach (var address in addresses)
        {
            var refusal = RefusalOf(address, name);
            if (refusal is null)
            {
                permitted.Add(address);
            }
            else
            {
                first ??= host.Equals(address.ToString(), StringComparison.OrdinalIgnoreCase) ? refusal : $"{host} resolved to {refusal}";
            }
        }
        return permitted.Count > 0 ? [.. permitted] : throw Refuse(first!);
    }

    /// <summary>Refuses a host on the deny list before any DNS query.</summary>
    /// <exception cref="TargetRefusedException">The name is on the deny list.</exception>
    public void CheckName(string host)
    {
        if (!IPAddress.TryParse(host, out _) && Deny.HasHost(host))
        {
            throw Refuse($"{host} is on the deny list");
        }
    }

    private TargetRefusedException Refuse(string reason)
    {
        _refused?.Invoke(reason);
        return new TargetRefusedException(reason);
    }
}
