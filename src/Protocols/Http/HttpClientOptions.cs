using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>Per-connection settings of the load generator's HTTP/1.1 client.</summary>
public sealed class HttpClientOptions
{
    /// <summary>DNS lookup + TCP connect + TLS handshake. Exceeding it reports <see cref="Outcome.Timeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// From the moment the request is handed to the socket until the last byte of the response is read.
    /// Exceeding it reports <see cref="Outcome.Timeout"/> and closes the connection, so a late answer can
    /// never be taken for the answer to the next request.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Skip server certificate validation (self-signed test targets). Off by default.</summary>
    public bool AcceptAnyServerCertificate { get; init; }

    /// <summary>Where connections may go (HTTP, WebSocket, HLS, HTTP-FLV). Default: anywhere but link-local and cloud metadata addresses.</summary>
    public TargetPolicy Targets { get; init; } = TargetPolicy.Unrestricted;

    /// <summary>The local addresses connections are bound to in turn; null: the kernel picks. Default: the executor's (<see cref="SourceAddresses.Current"/>).</summary>
    public SourceAddresses? Sources { get; init; } = SourceAddresses.Current;
}
