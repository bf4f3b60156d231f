using System.Net;

namespace PerfTest.Protocols.Http;

/// <summary>The outcome of opening a connection: the connection, or why there is none.</summary>
internal readonly record struct ConnectResult(ConnectionStream? Connection, Outcome Outcome);

/// <summary>
/// DNS (cached per endpoint), TCP connect and TLS handshake under the connect timeout, with failures mapped
/// to outcomes. Runs once per connection, not per request, so it is a plain (allocating) async method.
/// </summary>
internal sealed class Connector(HttpClientOptions options)
{
    private HttpEndpoint? _resolvedEndpoint;
    private IPAddress[]? _addresses;

    /// <summary>Never fails except by throwing OperationCanceledException for the caller's token.</summary>
    public async Task<ConnectResult> ConnectAsync(HttpEndpoint endpoint, RequestTimer timer, CancellationToken callerToken)
    {
        timer.Arm(options.ConnectTimeout);
        try
        {
            IPAddress[] addresses = await ResolveAsync(endpoint, timer.Token).ConfigureAwait(false);
            ConnectionStream connection = await ConnectionStream.ConnectAsync(endpoint, addresses, options, timer.Token).ConfigureAwait(false);
            return new ConnectResult(connection, Outcome.Success);
        }
        catch (Exception error)
        {
            callerToken.ThrowIfCancellationRequested();
            _addresses = null; // resolve again next time: the target may have moved
            return new ConnectResult(null, ErrorClassifier.ClassifyConnectFailure(error, timer.Fired));
        }
        finally
        {
            timer.Disarm();
        }
    }

    private async ValueTask<IPAddress[]> ResolveAsync(HttpEndpoint endpoint, CancellationToken cancellationToken)
    {
        // Resolve once per connection object like wrk does, not on every reconnect to a server that
        // answers Connection: close.
        if (_addresses is not null && endpoint.Equals(_resolvedEndpoint))
        {
            return _addresses;
        }

        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new IOException($"'{endpoint.Host}' resolved to no address.");
        }

        _addresses = addresses;
        _resolvedEndpoint = endpoint;
        return addresses;
    }
}
