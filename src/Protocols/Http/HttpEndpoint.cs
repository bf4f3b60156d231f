namespace PerfTest.Protocols.Http;

/// <summary>
/// What a TCP connection is bound to. A connection is reused only for a template with an equal
/// endpoint; the record's value equality compares strings without allocating.
/// </summary>
internal sealed record HttpEndpoint(string Host, int Port, bool IsHttps)
{
    public static HttpEndpoint FromUri(Uri url)
    {
        // DnsSafeHost drops the brackets of an IPv6 literal so IPAddress.TryParse accepts it;
        // IdnHost gives the punycode form of an international name, which is what DNS knows.
        string host = url.HostNameType == UriHostNameType.IPv6 ? url.DnsSafeHost : url.IdnHost;
        // wss:// is TLS exactly like https:// (the WebSocket client connects through the same code).
        bool tls = url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeWss;
        return new HttpEndpoint(host, url.Port, tls);
    }
}
