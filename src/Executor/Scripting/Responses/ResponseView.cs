using PerfTest.Executor.Contract;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>
/// One captured answer as checks and extractions read it; body text and JSON are decoded once, on first use.
/// An HTTP response has a status and headers; a TCP, UDP or WebSocket answer is a body only (status 0, no headers).
/// </summary>
public sealed class ResponseView(int statusCode, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers) : IDisposable
{
    private string? _body;
    private JsonDocument? _json;
    private bool _jsonParsed;

    public ResponseView(HttpResponseCapture capture)
        : this(capture.StatusCode, capture.Body, capture.Headers)
    {
    }

    /// <summary>The answer of a protocol without status or headers (TCP, UDP, WebSocket).</summary>
    public static ResponseView OfBody(byte[] body) => new(0, body, []);

    public int StatusCode => statusCode;

    public string Body => _body ??= Encoding.UTF8.GetString(body);

    public string? Header(string name)
    {
        foreach (var (key, value) in headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>The body as JSON; null when it is not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            if (!_jsonParsed)
            {
                _jsonParsed = true;
                try
                {
                    _json = JsonDocument.Parse(body);
                }
                catch (JsonException)
                {
                    _json = null;
                }
            }
            return _json?.RootElement;
        }
    }

    /// <summary>The text a source gives: null when the header is absent, the body is not JSON or the path leads nowhere.</summary>
    /// <param name="source">Where the text comes from: status, body, a header or a JSON path into the body.</param>
    /// <param name="header">The header name, for <see cref="ValueSource.Header"/>.</param>
    /// <param name="path">The path, for <see cref="ValueSource.JsonPath"/>.</param>
    public string? Value(ValueSource source, string header, JsonPath? path) => source switch
    {
        ValueSource.Status => StatusCode.ToString(CultureInfo.InvariantCulture),
        ValueSource.Body => Body,
        ValueSource.Header => Header(header),
        _ => Json is { } root && path!.TryEvaluate(root, out var value) ? JsonPath.ToText(value) : null,
    };

    public void Dispose() => _json?.Dispose();
}
