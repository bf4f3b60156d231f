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
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0)
        {
            throw ApiException.MalformedJson("request body is empty; this API takes a JSON body");
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), documentOptions: ApiJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw ApiException.MalformedJson(
                $"request body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" Path:")[0]}");
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
