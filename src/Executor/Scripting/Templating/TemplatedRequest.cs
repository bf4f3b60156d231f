using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting.Templating;

/// <summary>A request that cannot be built from its rendered text (bad URL, CR/LF in a header value...).</summary>
public sealed class RequestRenderException(string field, string message) : Exception(message)
{
    /// <summary>The card field at fault: url, headers or bodys.</summary>
    public string Field { get; } = field;
}

/// <summary>
/// A packet card's request as written: URL, header values and body may hold <c>${name}</c> references.
/// Rendering with a VU's variables gives the request to send; a card without references renders once,
/// at compile time.
/// </summary>
public sealed class TemplatedRequest(string method, TextTemplate url, string defaultScheme,
    IReadOnlyList<KeyValuePair<string, TextTemplate>> headers, BodyTemplate body)
{
    public string Method { get; } = method;

    public TextTemplate Url { get; } = url;

    public IReadOnlyList<KeyValuePair<string, TextTemplate>> Headers { get; } = headers;

    public BodyTemplate Body { get; } = body;

    /// <summary>The URL text as the report names the request: its scheme added when absent, references unrendered.</summary>
    public string UrlText => WithScheme(Url.Text);

    public bool HasReferences => Url.HasReferences || Headers.Any(h => h.Value.HasReferences) || Body.Parts("").Any(p => p.Text.HasReferences);

    /// <exception cref="RequestRenderException">The rendered request is not a valid HTTP request.</exception>
    public BuiltRequest Render(IVariableResolver variables)
    {
        var rawUrl = WithScheme(Url.Render(variables));
        if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new RequestRenderException("url", $"'{rawUrl}' is not an http or https URL");
        }
        var rendered = new KeyValuePair<string, string>[Headers.Count];
        for (var i = 0; i < rendered.Length; i++)
        {
            rendered[i] = new(Headers[i].Key, Headers[i].Value.Render(variables));
        }
        var bytes = Body.Render(variables);
        try
        {
            return new BuiltRequest(HttpRequestTemplate.Create(Method, uri, rendered, bytes), rendered, bytes);
        }
        catch (ArgumentException e)
        {
            throw new RequestRenderException("headers", e.Message);
        }
    }

    private string WithScheme(string text) => text.Contains("://", StringComparison.Ordinal) ? text : defaultScheme + "://" + text;
}
