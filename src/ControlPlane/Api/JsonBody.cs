using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfTest.ControlPlane.Api;

/// <summary>Reads a request body as JSON, answering 400 with the position of the first syntax error.</summary>
public static class JsonBody
{
    public static async Task<JsonNode> ReadAsync(HttpRequest request)
    {
        request.EnableBuffering();
        request.Body.Position = 0;
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: ApiJson.DocumentOptions,
                cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ApiException.MalformedJson(e.BytePositionInLine is null
                ? "request body is not valid JSON: it is empty or incomplete"
                : $"request body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}");
        }
        return node ?? throw ApiException.MalformedJson("request body must not be JSON null");
    }

    public static async Task<Fields> ReadObjectAsync(HttpRequest request)
    {
        var node = await ReadAsync(request);
        if (node is not JsonObject obj)
        {
            throw ApiException.BadRequest($"request body must be a JSON object, not {Fields.Kind(node)}");
        }
        return new Fields(obj, "");
    }

    public static async Task<JsonArray> ReadArrayAsync(HttpRequest request)
    {
        var node = await ReadAsync(request);
        return node as JsonArray ?? throw ApiException.BadRequest($"request body must be a JSON array, not {Fields.Kind(node)}");
    }
}
