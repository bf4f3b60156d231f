using Microsoft.AspNetCore.Authorization;
using Prometheus;

namespace PerfTest.Executor.Observability;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format, on the control plane and on the standalone executor. Like the
/// health probes it needs no credentials (<see cref="IAllowAnonymous"/>); it names task, task run and case run ids,
/// so put it on a port of its own when the API's port is reachable by more than the scraper (docs/observability.md).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The content type Prometheus expects for the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps <see cref="Path"/>; <paramref name="beforeCollect"/> runs first (series retention, gauges read from state).</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="registry">What is exported.</param>
    /// <param name="onlyPort">When set, the endpoint answers 404 on every other port.</param>
    /// <param name="beforeCollect">Work before each scrape.</param>
    public static void MapMetrics(this IEndpointRouteBuilder endpoints, CollectorRegistry registry, int? onlyPort,
        Func<CancellationToken, Task>? beforeCollect = null)
    {
        endpoints.MapGet(Path, async (HttpContext context) =>
            {
                if (onlyPort is { } port && context.Connection.LocalPort != port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                if (beforeCollect is not null)
                {
                    await beforeCollect(context.RequestAborted);
                }
                context.Response.ContentType = ContentType;
                context.Response.Headers.CacheControl = "no-store";
                await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            })
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
    }
}
