using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>One captured response as checks and extractions read it; body text and JSON are decoded once, on first use.</summary>
public sealed class ResponseView(HttpResponseCapture capture) : IDisposable
{
    private string? _body;
    private JsonDocument? _json;
    private bool _jsonParsed;

    public int StatusCode => capture.StatusCode;

    public string Body => _body ??= Encoding.UTF8.GetString(capture.Body);

    public string? Header(string name)
    {
        foreach (var (key, value) in capture.Headers)
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
                    _json = JsonDocument.Parse(capture.Body);
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
