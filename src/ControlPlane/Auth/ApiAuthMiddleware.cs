using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Hosting;

namespace PerfTest.ControlPlane.Auth;

/// <summary>
/// Authenticates every request (SDK AK/SK signature or X-Auth-Token) and checks that the
/// <c>{project_id}</c> of the path is one the caller may use. With no credentials
/// configured, requests are accepted anonymously only on loopback connections, and only when
/// nothing marks them as sent by a web page (<see cref="AnonymousRequestRules"/>). The only
/// exceptions are the endpoints marked <see cref="IAllowAnonymous"/>: the health probes
/// (<see cref="HealthProbes"/>), which carry no data.
/// </summary>
public sealed class ApiAuthMiddleware(RequestDelegate next, AuthOptions options, SdkSignatureVerifier verifier)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }
        var identity = await AuthenticateAsync(context);
        if (context.GetRouteValue(Tenant.RouteKey) is string projectId)
        {
            if (!Tenant.IsWellFormed(projectId))
            {
                throw ApiException.BadRequest("project_id must be 1-64 letters, digits, '-' or '_'");
            }
            if (!identity.MayUse(projectId))
            {
                throw ApiException.Forbidden($"the credential {identity.Name} may not use project {projectId}");
            }
            var headerProject = context.Request.Headers["X-Project-Id"].ToString();
            if (headerProject.Length > 0 && headerProject != projectId)
            {
                throw ApiException.BadRequest($"X-Project-Id {headerProject} does not match the project_id {projectId} of the path");
            }
        }
        context.Items[typeof(CallerIdentity)] = identity;
        await next(context);
    }

    private async Task<CallerIdentity> AuthenticateAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SdkSignature.Algorithm + " ", StringComparison.Ordinal))
        {
            return await verifier.VerifyAsync(context, authorization);
        }
        if (authorization.Length > 0)
        {
            throw ApiException.Unauthorized("only SDK-HMAC-SHA256 Authorization or X-Auth-Token are accepted");
        }
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        if (token.Length > 0)
        {
            var match = options.Tokens.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(t.Token), Encoding.UTF8.GetBytes(token)));
            return match is null
                ? throw ApiException.Unauthorized("X-Auth-Token is not a known token")
                : new CallerIdentity("token", match.ProjectIds.ToHashSet(StringComparer.Ordinal));
        }
        if (!options.HasAnyCredential && IsLoopback(context.Connection))
        {
            AnonymousRequestRules.Check(context.Request);
            return new CallerIdentity("anonymous", null);
        }
        throw ApiException.Unauthorized("authentication required: sign the request (SDK-HMAC-SHA256) or send X-Auth-Token");
    }

    private static bool IsLoopback(ConnectionInfo connection) =>
        connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local)
        && (connection.RemoteIpAddress is null || IPAddress.IsLoopback(connection.RemoteIpAddress));
}
