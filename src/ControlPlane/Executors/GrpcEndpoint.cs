using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Hosting;
using PerfTest.Executor.Hosting;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// The registration service for standalone executors listens on its own HTTP/2 port
/// (Executors:GrpcUrl), apart from the REST API, and only when a shared secret is configured;
/// with Executors:Tls configured it serves HTTPS only (<see cref="ChannelTls"/>).
/// </summary>
public static class GrpcEndpoint
{
    public static bool Enabled(ExecutorsOptions options) => options.SharedSecret.Length > 0 && options.GrpcUrl.Length > 0;

    /// <summary>
    /// The section's rules, checked at start: with Executors:Tls configured, Executors:GrpcUrl must be https:// (an
    /// https:// one needs the certificate); every group binding names well-formed project ids.
    /// </summary>
    /// <exception cref="InvalidOperationException">A rule is broken; the message names the key.</exception>
    public static void Check(ExecutorsOptions options)
    {
        if (Enabled(options) && options.Tls.CheckListenUrl("Executors:Tls", "Executors:GrpcUrl", options.GrpcUrl) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }
        for (var g = 0; g < options.Groups.Count; g++)
        {
            for (var p = 0; p < options.Groups[g].ProjectIds.Count; p++)
            {
                if (!Tenant.IsWellFormed(options.Groups[g].ProjectIds[p]))
                {
                    throw new InvalidOperationException(
                        $"Executors:Groups:{g}:ProjectIds:{p} is '{options.Groups[g].ProjectIds[p]}': an IAM project id is 1-64 letters, digits, '-' or '_'");
                }
            }
        }
    }

    /// <summary>
    /// Kestrel ignores Urls once any endpoint is set in code, so with the gRPC port on, the REST
    /// addresses of Urls are bound here too (plain HTTP; put TLS in front with a reverse proxy).
    /// </summary>
    /// <param name="kestrel">The server's options.</param>
    /// <param name="options">Section "Executors".</param>
    /// <param name="tls">Its TLS, read at start: the gRPC port serves HTTPS with it when its address is https://.</param>
    /// <param name="urls">The REST addresses (Urls).</param>
    public static void Configure(KestrelServerOptions kestrel, ExecutorsOptions options, ChannelTls tls, string? urls)
    {
        if (!Enabled(options))
        {
            return;
        }
        foreach (var url in (urls ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Listen(kestrel, url, l => l.Protocols = HttpProtocols.Http1AndHttp2);
        }
        Listen(kestrel, options.GrpcUrl, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            if (tls.Enabled)
            {
                var logger = kestrel.ApplicationServices.GetRequiredService<ILogger<ChannelTls>>();
                l.UseHttps(https => tls.ConfigureHttps(https, logger));
            }
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        var (host, port) = ListenAddress.Split(url);
        var p = port ?? throw new InvalidOperationException($"'{url}' names no port");
        if (host is "localhost")
        {
            kestrel.ListenLocalhost(p, configure);
        }
        else if (host is "*" or "+")
        {
            kestrel.ListenAnyIP(p, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), p, configure);
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
