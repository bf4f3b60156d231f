using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// The request of a packet card: the template VUs send, and what it holds, for debug runs. For a card
/// with <c>${name}</c> references, <see cref="Template"/> is a preview (each reference rendered as "0")
/// and <see cref="Templated"/> renders the real request per send.
/// </summary>
public sealed record BuiltRequest(HttpRequestTemplate Template, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Set when the card has references: render it with the VU's variables for each request.</summary>
    public TemplatedRequest? Templated { get; init; }
}

/// <summary>
/// Builds the request of an HTTP packet card of the plan: url, method, headers and the body of
/// body_type 0 (string), 1 (form-data) or 3 (x-www-form-urlencoded). docs/scripts.md shows each.
/// </summary>
public static class HttpRequestBuilder
{
    /// <param name="http">The plan's request.</param>
    /// <param name="path">The card's content path, for messages.</param>
    /// <param name="isKnown">Whether a referenced name is a variable at this point of the script.</param>
    public static BuiltRequest Build(HttpPacket http, string path, Func<string, bool> isKnown)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(isKnown);
        var url = TextTemplate.Parse(http.Url);
        var headers = new List<KeyValuePair<string, TextTemplate>>();
        var parts = new List<(TextTemplate Text, string Path)> { (url, path + ".url") };
        for (var i = 0; i < http.Headers.Count; i++)
        {
            if (http.Headers[i].Name.Length > 0)
            {
                var value = TextTemplate.Parse(http.Headers[i].Value);
                headers.Add(new(http.Headers[i].Name, value));
                parts.Add((value, $"{path}.headers[{i}].value"));
            }
        }
        var body = BodyTemplate.From(http);
        if (body.ContentType is { } contentType && !headers.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", TextTemplate.Parse(contentType)));
        }
        parts.AddRange(body.Parts(path));
        foreach (var (text, partPath) in parts)
        {
            if (text.Names.FirstOrDefault(n => !isKnown(n)) is { } unknown)
            {
                throw new ScriptException($"{partPath} references ${{{unknown}}}, which is neither extracted by an earlier card nor a global variable");
            }
        }
        var templated = new TemplatedRequest(http.Method, url, http.Https ? "https" : "http", headers, body);
        try
        {
            // Without references this is the request itself; with them, a preview that validates the rest.
            var built = templated.Render(PlaceholderVariables.Instance);
            return templated.HasReferences ? built with { Templated = templated } : built;
        }
        catch (RequestRenderException e)
        {
            throw new ScriptException($"{path}.{e.Field} {e.Message}");
        }
    }
}
