using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>A real Kestrel server on 127.0.0.1:0 (optionally https) that counts the connections it served.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, bool https)
    {
        _app = app;
        Https = https;
    }

    public int Port { get; private set; }

    public bool Https { get; }

    /// <summary>Distinct connection ids that carried at least one request.</summary>
    public ConcurrentDictionary<string, bool> ConnectionIds { get; } = new();

    public Uri Url(string pathAndQuery = "/") => new($"{(Https ? "https" : "http")}://127.0.0.1:{Port}{pathAndQuery}");

    public static async Task<KestrelHost> StartAsync(RequestDelegate handler, X509Certificate2? certificate = null, bool webSockets = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        WebApplication app = builder.Build();
        var host = new KestrelHost(app, certificate is not null);
        if (webSockets)
        {
            app.UseWebSockets();
        }

        app.Use(async (context, next) =>
        {
            host.ConnectionIds.TryAdd(context.Connection.Id, true);
            await next(context);
        });
        app.Run(handler);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        host.Port = new Uri(address).Port;
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
