using System.Net;
using PerfTest.Protocols.Targets;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// DNS with a one-entry cache: resolve once per client object like wrk does, not on every reconnect.
/// Forget the entry after a failed connect: the target may have moved. What it returns has passed the target
/// policy, and the caller connects to exactly those addresses, so DNS cannot change the answer after the check.
/// </summary>
internal sealed class AddressResolver(TargetPolicy policy)
{
    private string? _host;
    private IPAddress[]? _addresses;

    /// <exception cref="TargetRefusedException">The policy refuses the host or every address it resolved to.</exception>
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (_addresses is not null && string.Equals(host, _host, StringComparison.OrdinalIgnoreCase))
        {
            return _addresses;
        }

        policy.CheckName(host);
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new IOException($"'{host}' resolved to no address.");
        }

        _addresses = policy.Permit(host, addresses);
        _host = host;
        return _addresses;
    }

    public void Forget() => _addresses = null;
}
