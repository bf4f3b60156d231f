using System.Text;
using System.Text.Json.Nodes;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>The request of a packet card: the template VUs send, and what it holds, for debug runs.</summary>
public sealed record BuiltRequest(HttpRequestTemplate Template, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);

/// <summary>
/// Builds the request of an HTTP packet card (ContentInfo): url, method, headers and the body of
/// body_type 0 (string), 1 (form-data) or 3 (x-www-form-urlencoded). docs/scripts.md shows each.
/// </summary>
public static class HttpRequestBuilder
{
    public static BuiltRequest Build(JsonObject info, string path, int protocolType)
    {
        var rawUrl = Text(info, "url") ?? throw new ScriptException($"{path}.url is required for an HTTP packet");
        if (!rawUrl.Contains("://", StringComparison.Ordinal))
        {
            rawUrl = (protocolType == 2 ? "https://" : "http://") + rawUrl;
        }
        if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            throw new ScriptException($"{path}.url '{rawUrl}' is not an http or https URL");
        }
        var method = (Text(info, "method") ?? "GET").ToUpperInvariant();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in info["headers"] as JsonArray ?? [])
        {
            if (header is JsonObject h && Text(h, "key") is { Length: > 0 } key)
            {
                headers.Add(new(key, Text(h, "value") ?? ""));
            }
        }
        var bodyType = info["body_type"] is JsonValue bt && bt.TryGetValue(out int t) ? t : 0;
        var (body, contentType) = Body(info["bodys"] as JsonArray ?? [], bodyType, path);
        if (contentType is not null && !headers.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", contentType));
        }
        return new BuiltRequest(HttpRequestTemplate.Create(method, url, headers, body), headers, body);
    }

    private static (byte[] Body, string? ContentType) Body(JsonArray bodys, int bodyType, string path)
    {
        switch (bodyType)
        {
            case 0:
                var text = string.Concat(bodys.Select(b => b is JsonObject o ? Text(o, "value") ?? Text(o, "body") ?? "" : b?.GetValueKind() == System.Text.Json.JsonValueKind.String ? b.GetValue<string>() : b?.ToJsonString() ?? ""));
                return (Encoding.UTF8.GetBytes(text), null);
            case 3:
                var pairs = Pairs(bodys).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value));
                return (Encoding.UTF8.GetBytes(string.Join('&', pairs)), "application/x-www-form-urlencoded");
            case 1:
                const string Boundary = "----PerfTestFormBoundary7MA4YWxkTrZu0gW";
                var sb = new StringBuilder();
                foreach (var (key, value) in Pairs(bodys))
                {
                    sb.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(key)
                      .Append("\"\r\n\r\n").Append(value).Append("\r\n");
                }
                sb.Append("--").Append(Boundary).Append("--\r\n");
                return (Encoding.UTF8.GetBytes(sb.ToString()), "multipart/form-data; boundary=" + Boundary);
            default:
                throw new ScriptException($"{path}.body_type {bodyType} is not supported (0 string, 1 form-data, 3 x-www-form-urlencoded)");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(JsonArray bodys) =>
        bodys.OfType<JsonObject>().Select(o => new KeyValuePair<string, string>(Text(o, "key") ?? "", Text(o, "value") ?? ""));

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : o[name] is JsonValue n ? n.ToJsonString() : null;
}
