using System.Net;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>The outcome of opening a connection: the connection, or why there is none.</summary>
internal readonly record struct ConnectResult(ConnectionStream? Connection, Outcome Outcome);

/// <summary>
/// DNS (cached per connection object), TCP connect and TLS handshake under the connect timeout, with failures mapped
/// to outcomes. Runs once per connection, not per request, so it is a plain (allocating) async method.
/// <c>smallReads</c>: the connections read into <see cref="ConnectionStream.SmallReadBufferSize"/> segments (WebSocket).
/// </summary>
internal sealed class Connector(HttpClientOptions options, bool smallReads = false)
{
    private readonly AddressResolver _resolver = new(options.Targets);

    /// <summary>Never fails except by throwing OperationCanceledException for the caller's token.</summary>
    public async Task<ConnectResult> ConnectAsync(HttpEndpoint endpoint, RequestTimer timer, CancellationToken callerToken)
    {
        timer.Arm(options.ConnectTimeout);
        try
        {
            IPAddress[] addresses = await _resolver.ResolveAsync(endpoint.Host, timer.Token).ConfigureAwait(false);
            ConnectionStream connection = await ConnectionStream.ConnectAsync(endpoint, addresses, options, timer.Token, smallReads).ConfigureAwait(false);
            return new ConnectResult(connection, Outcome.Success);
        }
        catch (Exception error)
        {
            callerToken.ThrowIfCancellationRequested();
            _resolver.Forget();
            return new ConnectResult(null, ErrorClassifier.ClassifyConnectFailure(error, timer.Fired));
        }
        finally
        {
            timer.Disarm();
        }
    }
}
