using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// <c>GET /healthz/live</c> and <c>GET /healthz/ready</c> for orchestrators (Kubernetes probes), on the control plane
/// and on the standalone executor. They need no credentials (<see cref="IAllowAnonymous"/> metadata, which the control
/// plane's authentication honours) and carry no data: <c>{"status":"live"}</c>, <c>{"status":"ready"}</c> or
/// <c>{"status":"not ready","reason":"..."}</c>, never cached.
/// </summary>
public static class HealthProbes
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Maps both probes. Live is 200 while the process serves requests; ready is 200 when <paramref name="notReady"/>
    /// answers null, else 503 with its reason (which must name no secret, connection string or host).
    /// </summary>
    public static void MapHealthProbes(this IEndpointRouteBuilder endpoints, Func<HttpContext, Task<string?>> notReady)
    {
        endpoints.MapGet(LivePath, (HttpContext context) => Answer(context, 200, new HealthBody("live", null)))
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
        endpoints.MapGet(ReadyPath, async (HttpContext context) =>
            {
                var reason = await notReady(context);
                return Answer(context, reason is null ? 200 : 503, new HealthBody(reason is null ? "ready" : "not ready", reason));
            })
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
    }

    private static IResult Answer(HttpContext context, int status, HealthBody body)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(body, Json, "application/json; charset=utf-8", status);
    }

    private sealed record HealthBody(string Status, string? Reason);
}
