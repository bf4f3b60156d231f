using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfTest.ControlPlane.Api;

/// <summary>One JSON configuration for everything the API reads and writes.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        // Keep what clients send readable when it comes back (no \uXXXX for non-ASCII).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Serializes a stored document. Nodes keep their key order, so what was sent is what comes back.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json, documentOptions: DocumentOptions)?.AsObject()
        ?? throw new InvalidOperationException("stored document is not a JSON object");

    /// <summary>The documented success envelope, with the given members after code and message.</summary>
    public static JsonObject Success(params (string Name, JsonNode? Value)[] members)
    {
        var body = new JsonObject { ["code"] = ErrorCodes.Success, ["message"] = "success" };
        foreach (var (name, value) in members)
        {
            body[name] = value;
        }
        return body;
    }

    public static IResult Ok(JsonObject body, int status = 200) => new JsonNodeResult(body, status);

    /// <summary>Writes a JsonObject with our options (Results.Json would re-resolve type info per call).</summary>
    private sealed class JsonNodeResult(JsonObject body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body, new JsonWriterOptions { Encoder = Options.Encoder });
            body.WriteTo(writer, Options);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
