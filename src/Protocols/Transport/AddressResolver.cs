using System.Net;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// DNS with a one-entry cache: resolve once per client object like wrk does, not on every reconnect.
/// Forget the entry after a failed connect: the target may have moved.
/// </summary>
internal sealed class AddressResolver
{
    private string? _host;
    private IPAddress[]? _addresses;

    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (_addresses is not null && string.Equals(host, _host, StringComparison.OrdinalIgnoreCase))
        {
            return _addresses;
        }

        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new IOException($"'{host}' resolved to no address.");
        }

        _addresses = addresses;
        _host = host;
        return addresses;
    }

    public void Forget() => _addresses = null;
}
