using PerfTest.ControlPlane.Executors;
using PerfTest.Executor.Observability;

namespace PerfTest.ControlPlane.Observability;

/// <summary>The control plane's logs and /metrics, wired into its host (docs/observability.md).</summary>
public static class ObservabilityHost
{
    /// <summary>Log format and filters, the metrics' services, and the metrics port's address beside the API's.</summary>
    /// <exception cref="InvalidOperationException">Logging:Format or Metrics:Port is not valid; the message names the key.</exception>
    public static MetricsOptions Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        LogFormat.Configure(builder.Logging, builder.Configuration);
        var options = builder.Configuration.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Port is { } port && port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Metrics:Port is {port}: a TCP port is 1-65535");
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ControlPlaneMetrics>();
        if (options.ListenUrl(builder.Configuration["Urls"]) is { } metricsUrl)
        {
            // Read by Kestrel at start, and by GrpcEndpoint, which binds every address of Urls itself when it is on.
            builder.Configuration["Urls"] = (builder.Configuration["Urls"] ?? "http://127.0.0.1:5080") + ";" + metricsUrl;
        }
        return options;
    }

    /// <summary>
    /// Before everything else: the metrics port (when there is one) answers /metrics only. Its address may be
    /// reachable by more than the API's (a pod's), so nothing of the API, anonymous or not, is served there.
    /// </summary>
    public static void UseMetricsPort(WebApplication app, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is not { } port)
        {
            return;
        }
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == port && !context.Request.Path.Equals(MetricsEndpoint.Path, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
    }

    /// <summary>Maps /metrics: on the metrics port only when there is one, else on the API's addresses.</summary>
    public static void MapMetrics(WebApplication app, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var metrics = app.Services.GetRequiredService<ControlPlaneMetrics>();
        var registry = app.Services.GetRequiredService<ExecutorRegistry>();
        var logger = app.Services.GetRequiredService<ILogger<ControlPlaneMetrics>>();
        app.MapMetrics(metrics.Registry, options.Port, async cancellationToken =>
        {
            metrics.Retention.Sweep();
            try
            {
                metrics.Executors(await registry.CountsAsync().WaitAsync(cancellationToken));
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                // The store is down: the scrape still answers, with the groups' last counts (readiness says why).
                logger.LogDebug(e, "The executors' counts could not be read for /metrics");
            }
        });
    }

    /// <summary>Whether <paramref name="address"/>, one the server listens on, is the metrics port's (it serves nothing else).</summary>
    public static bool IsMetricsAddress(MetricsOptions options, string address) =>
        options.Port is { } port && Microsoft.AspNetCore.Http.BindingAddress.Parse(address).Port == port;
}
