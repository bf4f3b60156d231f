using System.Text.Json.Nodes;
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
/// Builds the request of an HTTP packet card (ContentInfo): url, method, headers and the body of
/// body_type 0 (string), 1 (form-data) or 3 (x-www-form-urlencoded). docs/scripts.md shows each.
/// </summary>
public static class HttpRequestBuilder
{
    /// <param name="info">The packet card's <c>content</c> object (ContentInfo).</param>
    /// <param name="path">The path of that object, for messages.</param>
    /// <param name="protocolType">1 (HTTP) or 2 (HTTPS).</param>
    /// <param name="isKnown">Whether a referenced name is a variable at this point of the script.</param>
    public static BuiltRequest Build(JsonObject info, string path, int protocolType, Func<string, bool> isKnown)
    {
        ArgumentNullException.ThrowIfNull(isKnown);
        var url = TextTemplate.Parse(ScriptJson.Text(info, "url") ?? throw new ScriptException($"{path}.url is required for an HTTP packet"));
        var method = (ScriptJson.Text(info, "method") ?? "GET").ToUpperInvariant();
        var headers = new List<KeyValuePair<string, TextTemplate>>();
        var parts = new List<(TextTemplate Text, string Path)> { (url, path + ".url") };
        var headerArray = info["headers"] as JsonArray ?? [];
        for (var i = 0; i < headerArray.Count; i++)
        {
            if (headerArray[i] is JsonObject h && ScriptJson.Text(h, "key") is { Length: > 0 } key)
            {
                var value = TextTemplate.Parse(ScriptJson.Text(h, "value") ?? "");
                headers.Add(new(key, value));
                parts.Add((value, $"{path}.headers[{i}].value"));
            }
        }
        var body = BodyTemplate.Parse(info["bodys"] as JsonArray ?? [], ScriptJson.Int(info, "body_type"), path);
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
        var templated = new TemplatedRequest(method, url, protocolType == 2 ? "https" : "http", headers, body);
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
