using System.Text.Json.Nodes;

namespace PerfTest.Cli.Apply;

/// <summary>
/// A case of the file as the API's case script: <c>requests</c>, a short form of HTTP packet cards
/// (name, method, url, headers as a mapping, body), becomes one <c>contents</c> block of cards; a case may give
/// <c>contents</c> itself instead, exactly as the API takes it (docs/scripts.md).
/// </summary>
public static class CaseScript
{
    public static JsonObject Expand(JsonObject spec)
    {
        var doc = (JsonObject)spec.DeepClone();
        if (doc["requests"] is JsonArray requests)
        {
            if (doc.ContainsKey("contents"))
            {
                throw CliException.Usage($"case {doc["name"]}: give requests or contents, not both");
            }
            doc.Remove("requests");
            doc["contents"] = new JsonArray(new JsonObject
            {
                ["content_id"] = 0,
                ["data_type"] = 0,
                ["content"] = new JsonArray(requests.Select(r => (JsonNode)Card(r as JsonObject
                    ?? throw CliException.Usage($"case {doc["name"]}: every request must be a mapping"))).ToArray()),
            });
        }
        doc["stages"] ??= new JsonArray();
        doc["contents"] ??= new JsonArray();
        return doc;
    }

    private static JsonObject Card(JsonObject r)
    {
        var url = r["url"]?.GetValue<string>() ?? throw CliException.Usage($"request {r["name"]} has no url");
        var card = new JsonObject
        {
            ["name"] = r["name"]?.GetValue<string>() ?? url,
            ["method"] = r["method"]?.GetValue<string>() ?? "GET",
            ["url"] = url,
            ["protocol_type"] = url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 2 : 1,
            ["connect_timeout"] = r["connect_timeout"]?.DeepClone() ?? 5000,
            ["return_timeout"] = r["return_timeout"]?.DeepClone() ?? 5000,
            ["headers"] = new JsonArray((r["headers"] as JsonObject ?? []).Select(h =>
                (JsonNode)new JsonObject { ["key"] = h.Key, ["value"] = h.Value?.DeepClone() }).ToArray()),
            ["body_type"] = 0,
            ["bodys"] = r["body"] is { } body ? new JsonArray(body.DeepClone()) : new JsonArray(),
        };
        // Anything else of the request (checkpoints, extraction, http_version...) is the card's own member.
        foreach (var (key, value) in r.Where(kv => kv.Key is not ("headers" or "body") && !card.ContainsKey(kv.Key)))
        {
            card[key] = value?.DeepClone();
        }
        return new JsonObject { ["content_type"] = 2, ["content"] = card };
    }
}
