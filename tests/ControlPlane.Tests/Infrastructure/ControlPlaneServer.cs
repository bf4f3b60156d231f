using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfTest.ControlPlane.Hosting;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>
/// The real control plane on Kestrel, on a free loopback port, with the given configuration.
/// Tests talk to it over real HTTP.
/// </summary>
public sealed class ControlPlaneServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlPlaneServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }

    /// <summary>Builds, migrates (unless <paramref name="migrate"/> is false) and starts the control plane.</summary>
    /// <param name="settings">
    /// Configuration on top of appsettings.json. Without a Targets key, loopback is allowed as a target
    /// (Targets:Allow): the tests' targets listen there, and most tests run with credentials, outside anonymous dev mode.
    /// </param>
    /// <param name="urls">The REST API's listen addresses.</param>
    /// <param name="migrate">Whether to apply the schema migrations first, as Program.cs does.</param>
    /// <param name="logs">Where the server's log messages go besides the console (PERFTEST_TEST_LOG=1), when given.</param>
    /// <param name="services">Services registered before the host's own (e.g. the console's files of a test).</param>
    public static async Task<ControlPlaneServer> StartAsync(IDictionary<string, string?> settings, string urls = "http://127.0.0.1:0",
        bool migrate = true, LogSink? logs = null, Action<IServiceCollection>? services = null)
    {
        var app = ControlPlaneHost.Build(["--urls", urls], b =>
        {
            b.Configuration.AddInMemoryCollection(WithLoopbackTargets(settings));
            b.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("PERFTEST_TEST_LOG") == "1") { b.Logging.AddConsole(); }
            if (logs is not null) { b.Logging.AddProvider(logs); }
            services?.Invoke(b.Services);
        });
        if (migrate)
        {
            await ControlPlaneHost.MigrateAsync(app);
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ControlPlaneServer(app, new Uri(address));
    }

    public WebApplication App => _app;

    private static IDictionary<string, string?> WithLoopbackTargets(IDictionary<string, string?> settings) =>
        settings.Keys.Any(k => k.StartsWith("Targets:", StringComparison.OrdinalIgnoreCase)) ? settings
            : new Dictionary<string, string?>(settings) { ["Targets:Allow:0"] = "127.0.0.0/8", ["Targets:Allow:1"] = "::1" };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A response: status and parsed JSON body (null when there is none).</summary>
public sealed record ApiResponse(int Status, JsonNode? Body, string Text)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Text}");
}

public static class HttpClientExtensions
{
    public static async Task<ApiResponse> SendJsonAsync(this HttpClient http, HttpMethod method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0)
        {
            body = JsonNode.Parse(text);
        }
        return new ApiResponse((int)response.StatusCode, body, text);
    }

    public static Task<ApiResponse> GetJsonAsync(this HttpClient http, string path) => http.SendJsonAsync(HttpMethod.Get, path);
    public static Task<ApiResponse> PostJsonAsync(this HttpClient http, string path, string json) => http.SendJsonAsync(HttpMethod.Post, path, json);
    public static Task<ApiResponse> PutJsonAsync(this HttpClient http, string path, string json) => http.SendJsonAsync(HttpMethod.Put, path, json);
    public static Task<ApiResponse> DeleteAsync2(this HttpClient http, string path) => http.SendJsonAsync(HttpMethod.Delete, path);
}
