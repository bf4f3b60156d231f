using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PerfTest.Cli.Http;

/// <summary>
/// JSON over HTTP to a CodeArts PerfTest compatible endpoint, authenticated per <see cref="Connection.Credentials"/>.
/// An answer that is not 2xx becomes an <see cref="ApiException"/> carrying the API's error code and message.
/// </summary>
public sealed class ApiClient(Connection connection, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
    {
        BaseAddress = connection.Endpoint,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Connection Connection => connection;

    /// <summary>"/v1/{project id}" followed by <paramref name="rest"/>.</summary>
    public string V1(string rest) => $"/v1/{Uri.EscapeDataString(connection.ProjectId)}{rest}";

    public Task<JsonNode?> GetAsync(string path, CancellationToken ct = default) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode?> PostAsync(string path, JsonNode body, CancellationToken ct = default) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonNode?> PutAsync(string path, JsonNode body, CancellationToken ct = default) => SendAsync(HttpMethod.Put, path, body, ct);

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct = default)
    {
        var (status, bytes) = await SendRawAsync(method, path, body, ct);
        var text = Encoding.UTF8.GetString(bytes);
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException) when (status is < 200 or > 299)
        {
            // an error page that is not the API's JSON: reported with its status below
        }
        return status is >= 200 and <= 299 ? json : throw ApiException.From(method, path, status, json, text);
    }

    /// <summary>The raw bytes of a 2xx answer (an HTML report), else the API's error.</summary>
    public async Task<byte[]> GetBytesAsync(string path, CancellationToken ct = default)
    {
        var (status, bytes) = await SendRawAsync(HttpMethod.Get, path, null, ct);
        if (status is >= 200 and <= 299)
        {
            return bytes;
        }
        var text = Encoding.UTF8.GetString(bytes);
        JsonNode? json = null;
        try { json = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        throw ApiException.From(HttpMethod.Get, path, status, json, text);
    }

    private async Task<(int Status, byte[] Body)> SendRawAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(connection.Endpoint, path));
        byte[]? payload = null;
        if (body is not null)
        {
            payload = Encoding.UTF8.GetBytes(body.ToJsonString());
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        switch (connection.Credentials)
        {
            case Credentials.AccessKey k:
                SdkSigner.Sign(request, payload, k.Ak, k.Sk, DateTimeOffset.UtcNow);
                break;
            case Credentials.Token t:
                request.Headers.TryAddWithoutValidation("X-Auth-Token", t.Value);
                break;
        }
        try
        {
            using var response = await _http.SendAsync(request, ct);
            return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct));
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Failed, $"{connection.Endpoint} does not answer: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Failed, $"{connection.Endpoint} did not answer {method} {path.Split('?')[0]} within {_http.Timeout.TotalSeconds} s");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A refusal of the API: its status, error_code and error_msg (exit code 3).</summary>
public sealed class ApiException(int status, string errorCode, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;

    public static ApiException From(HttpMethod method, string path, int status, JsonNode? json, string text)
    {
        var code = json?["error_code"]?.GetValue<string>() ?? $"HTTP {status}";
        var msg = json?["error_msg"]?.GetValue<string>() ?? (text.Length > 200 ? text[..200] : text);
        return new ApiException(status, code, $"{method} {PathOnly(path)}: {status} {code} {msg}");
    }

    private static string PathOnly(string path) => path.Split('?')[0];
}
