namespace PerfTest.Protocols.Http;

/// <summary>
/// One request of a card, encoded once into its exact wire bytes (request line, headers, body), so that
/// sending it on the hot path is a single buffer copy with no formatting and no allocation.
/// Immutable: any number of connections may share it.
/// </summary>
public sealed class HttpRequestTemplate
{
    private readonly byte[] _encoded;

    private HttpRequestTemplate(string method, Uri url, byte[] encoded, bool requestsClose)
    {
        Method = method;
        Url = url;
        _encoded = encoded;
        RequestsClose = requestsClose;
        Endpoint = HttpEndpoint.FromUri(url);
        // A response to HEAD carries no body whatever its Content-Length says (RFC 9110 9.3.2).
        IsHead = method == "HEAD";
    }

    public string Method { get; }

    public Uri Url { get; }

    internal HttpEndpoint Endpoint { get; }

    /// <summary>The request exactly as it goes on the wire: head and body.</summary>
    internal ReadOnlyMemory<byte> Encoded => _encoded;

    internal bool IsHead { get; }

    /// <summary>The card sent <c>Connection: close</c>: the connection is closed after the response.</summary>
    internal bool RequestsClose { get; }

    /// <summary>
    /// Validates and encodes a request. Adds <c>Host</c> (unless the card sets it), <c>Content-Length</c>
    /// (when there is a body or the method is POST/PUT/PATCH; a card's own Content-Length is replaced,
    /// since a wrong one would desynchronise the connection) and <c>Connection: keep-alive</c>
    /// (unless the card sets Connection).
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http/https URL, a method or header name that is
    /// not an HTTP token, a header value with CR/LF, or a Transfer-Encoding header (bodies are sent with a
    /// Content-Length).</exception>
    public static HttpRequestTemplate Create(string method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{url}' is not an absolute http or https URL.", nameof(url));
        }

        byte[] encoded = RequestEncoder.Encode(method, url, headers, body.Span, out bool requestsClose);
        return new HttpRequestTemplate(method, url, encoded, requestsClose);
    }
}
