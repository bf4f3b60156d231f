using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PerfTest.ControlPlane.Hosting;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// The registration service for standalone executors listens on its own HTTP/2 port
/// (Executors:GrpcUrl), apart from the REST API, and only when a shared secret is configured.
/// </summary>
public static class GrpcEndpoint
{
    public static bool Enabled(ExecutorsOptions options) => options.SharedSecret.Length > 0 && options.GrpcUrl.Length > 0;

    /// <summary>
    /// Kestrel ignores Urls once any endpoint is set in code, so with the gRPC port on, the REST
    /// addresses of Urls are bound here too (plain HTTP; put TLS in front with a reverse proxy).
    /// </summary>
    public static void Configure(KestrelServerOptions kestrel, ExecutorsOptions options, string? urls)
    {
        if (!Enabled(options))
        {
            return;
        }
        foreach (var url in (urls ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Listen(kestrel, url, HttpProtocols.Http1AndHttp2);
        }
        Listen(kestrel, options.GrpcUrl, HttpProtocols.Http2);
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var (host, port) = ListenAddress.Split(url);
        var p = port ?? throw new InvalidOperationException($"'{url}' names no port");
        if (host is "localhost")
        {
            kestrel.ListenLocalhost(p, l => l.Protocols = protocols);
        }
        else if (host is "*" or "+")
        {
            kestrel.ListenAnyIP(p, l => l.Protocols = protocols);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), p, l => l.Protocols = protocols);
        }
    }

    /// <summary>gRPC methods authenticate with the shared secret (interceptor), not with the REST API's credentials.</summary>
    public static bool IsGrpc(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;

    public static void Map(WebApplication app, ExecutorsOptions options)
    {
        if (Enabled(options))
        {
            app.MapGrpcService<ControlPlaneGrpcService>();
        }
    }
}
