using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Mqtt;

/// <summary>
/// The connection fields of an MQTT card (protocol_type 11), fixed for the life of one VU's <see cref="MqttSession"/>.
/// </summary>
public sealed record MqttSessionOptions
{
    /// <summary>mqtt://host:port (default port 1883) or mqtts://host:port (TLS, default port 8883).</summary>
    public required Uri Url { get; init; }

    /// <summary>Already rendered by the caller (e.g. "vu-17" from the card's "vu-${__vu}").</summary>
    public string ClientId { get; init; } = "";

    public string? Username { get; init; }
    public string? Password { get; init; }
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);
    public bool CleanSession { get; init; } = true;

    /// <summary>TCP + TLS + CONNECT/CONNACK, per connection attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Publish to PUBACK/PUBCOMP, or the wait for a matching message.</summary>
    public TimeSpan ReturnTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Skips certificate validation on mqtts:// (self-signed test brokers).</summary>
    public bool AcceptAnyServerCertificate { get; init; }

    /// <summary>Where the session may connect. Default: anywhere but link-local and cloud metadata addresses.</summary>
    public TargetPolicy Targets { get; init; } = TargetPolicy.Unrestricted;

    /// <summary>The local addresses connections are bound to in turn; null: the kernel picks. Default: the executor's (<see cref="SourceAddresses.Current"/>).</summary>
    public SourceAddresses? Sources { get; init; } = SourceAddresses.Current;

    internal bool UseTls => Url.Scheme == "mqtts";

    internal int Port => Url.IsDefaultPort || Url.Port < 0 ? (UseTls ? 8883 : 1883) : Url.Port;

    /// <summary>Throws <see cref="ArgumentException"/> for anything but an absolute mqtt:// or mqtts:// URL.</summary>
    public static Uri ParseUrl(string url)
    {
        // Validated once per card, so a typo fails the script compile instead of every request.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "mqtt" && uri.Scheme != "mqtts")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"not an mqtt:// or mqtts:// URL: {url}", nameof(url));
        }
        return uri;
    }
}
