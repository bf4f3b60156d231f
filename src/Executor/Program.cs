using Microsoft.AspNetCore.Server.Kestrel.Core;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Observability;
using PerfTest.Executor.Running;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Transport;

namespace PerfTest.Executor;

/// <summary>
/// A standalone executor of a private resource group:
/// <code>
/// dotnet run --project src/Executor -- --Executor:ControlPlaneUrl=http://127.0.0.1:5081 \
///     --Executor:SharedSecret=... --Executor:ClusterId=1 --Urls=http://127.0.0.1:7001
/// </code>
/// </summary>
public static class ExecutorProgram
{
    public static async Task<int> Main(string[] args)
    {
        // Where load runs on .NET's sockets (no epoll transport: not Linux/glibc, or PERFTEST_EPOLL=0), run
        // their completions on the socket engine's own threads instead of handing each one to the thread
        // pool: about a third less CPU per request. Safe here, where nothing blocks; must be set before the
        // first socket is used. DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 turns it off.
        if (!Http1Connection.UsesEpoll
            && Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }
        var app = Build(args, out var error);
        if (app is null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    private const string Section = "Executor";

    public static WebApplication? Build(string[] args, out string error, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        try
        {
            LogFormat.Configure(builder.Logging, builder.Configuration);
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return null;
        }
        var options = builder.Configuration.GetSection(Section).Get<ExecutorOptions>() ?? new ExecutorOptions();
        if (options.SharedSecret.Length == 0 || options.ControlPlaneUrl.Length == 0)
        {
            error = "Executor:SharedSecret and Executor:ControlPlaneUrl are required: an executor only takes plans from its control plane.";
            return null;
        }
        if (!HealthPortIsValid(options, out error))
        {
            return null;
        }
        if (!TryParseSources(options, out var sources, out error))
        {
            return null;
        }
        var urls = builder.Configuration["Urls"] ?? (options.Tls.Enabled ? "https://127.0.0.1:7001" : "http://127.0.0.1:7001");
        if (CheckTls(options, urls) is { } refusal)
        {
            error = refusal;
            return null;
        }
        ChannelTls tls;
        try
        {
            tls = ChannelTls.Load(options.Tls, Section + ":Tls");
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return null;
        }
        // gRPC needs HTTP/2 (cleartext: prior knowledge, no HTTP/1.1 beside it); the health address, if any, is
        // HTTP/1.1 for probes that speak nothing else (plain http even with Tls: it carries no data).
        builder.WebHost.UseUrls(options.HealthUrl.Length > 0 ? urls + ";" + options.HealthUrl : urls);
        var healthPort = options.HealthPort;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureEndpointDefaults(e =>
                e.Protocols = healthPort is not null && e.IPEndPoint?.Port == healthPort ? HttpProtocols.Http1 : HttpProtocols.Http2);
            k.ConfigureHttpsDefaults(h => tls.ConfigureHttps(h, k.ApplicationServices.GetRequiredService<ILogger<ChannelTls>>()));
        });
        // One id for the whole process: registration, heartbeats and the Leave at shutdown name the same executor.
        if (options.Id.Length == 0)
        {
            options.Id = "executor-" + Guid.NewGuid().ToString("N")[..8];
        }
        builder.Services.AddSingleton(tls);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new EngineOptions
        {
            OrphanGrace = TimeSpan.FromSeconds(Math.Max(0, options.OrphanGraceSeconds)),
            OutboxMaxBytes = Math.Max(1, options.OutboxMaxMegabytes) * 1024L * 1024,
        });
        // Long enough to drain (ShutdownDrain); Kubernetes' terminationGracePeriodSeconds must exceed it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownDrain.ShutdownTimeout);
        builder.Services.AddSingleton<RegistrationStatus>();
        builder.Services.AddSingleton(TimeProvider.System);
        var metrics = new ExecutorMetrics(TimeProvider.System, TimeSpan.FromSeconds(Math.Max(0, options.MetricsRetentionSeconds)));
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<ExecutorEngine>();
        builder.Services.AddGrpc(o => o.Interceptors.Add<SharedSecretInterceptor>(options.SharedSecret));
        builder.Services.AddHostedService(s => new OutgoingConnections(
            sources, s.GetRequiredService<ILogger<OutgoingConnections>>(), s.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<WarmUpService>();
        builder.Services.AddHostedService<RegistrationService>();
        builder.Services.AddHostedService<ShutdownDrain>();
        var app = builder.Build();
        app.MapGrpcService<ExecutorGrpcService>();
        var status = app.Services.GetRequiredService<RegistrationStatus>();
        app.MapHealthProbes(_ => Task.FromResult(status.IsRegistered ? null : "not registered with its control plane"));
        // On the health address when there is one: Prometheus scrapes HTTP/1.1, the gRPC port speaks only HTTP/2.
        var engine = app.Services.GetRequiredService<ExecutorEngine>();
        app.MapMetrics(metrics.Registry, options.HealthPort, _ =>
        {
            metrics.Retention.Sweep();
            metrics.Plans(engine.RunningCount);
            return Task.CompletedTask;
        });
        error = "";
        return app;
    }

    private static bool TryParseSources(ExecutorOptions options, out SourceAddresses? sources, out string error)
    {
        error = "";
        sources = null;
        if (options.SourceAddresses.Length == 0)
        {
            return true;
        }
        try
        {
            sources = SourceAddresses.Parse(options.SourceAddresses);
            return true;
        }
        catch (FormatException e)
        {
            error = $"{Section}:SourceAddresses: {e.Message}";
            return false;
        }
    }

    private static bool HealthPortIsValid(ExecutorOptions options, out string error)
    {
        error = "";
        if (options.HealthUrl.Length == 0)
        {
            return true;
        }
        try
        {
            var address = BindingAddress.Parse(options.HealthUrl);
            if (address.Scheme == "http" && address.Port > 0)
            {
                return true;
            }
        }
        catch (FormatException)
        {
        }
        error = $"Executor:HealthUrl '{options.HealthUrl}' must be an http:// address with a port of its own, e.g. http://0.0.0.0:7002.";
        return false;
    }

    /// <summary>
    /// With Executor:Tls configured the secret is only sent over TLS: the control plane's address, this executor's
    /// listening addresses and the address it advertises must all be https://. Null when they are.
    /// </summary>
    private static string? CheckTls(ExecutorOptions options, string urls)
    {
        const string tls = Section + ":Tls";
        return options.Tls.CheckCallUrl(tls, "Executor:ControlPlaneUrl", options.ControlPlaneUrl)
            ?? (options.AdvertisedUrl.Length > 0 ? options.Tls.CheckCallUrl(tls, "Executor:AdvertisedUrl", options.AdvertisedUrl) : null)
            ?? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(url => options.Tls.CheckListenUrl(tls, "Urls", url)).FirstOrDefault(r => r is not null);
    }
}
