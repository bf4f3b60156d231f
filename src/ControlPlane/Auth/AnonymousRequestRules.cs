using Microsoft.Net.Http.Headers;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Hosting;

namespace PerfTest.ControlPlane.Auth;

/// <summary>
/// What anonymous dev mode asks of a request beyond coming over loopback, so that a web page open in a browser
/// on the same machine cannot use the API: a loopback connection alone does not prove the caller is a local
/// program, since the browser makes it on the page's behalf.
/// </summary>
public static class AnonymousRequestRules
{
    /// <exception cref="ApiException">403 for a cross-site or non-loopback-addressed request, 415 for a body that is not JSON.</exception>
    public static void Check(HttpRequest request)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Forbidden("anonymous dev mode refuses cross-site requests (Sec-Fetch-Site: cross-site)");
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsLoopbackOrigin(origin))
        {
            throw ApiException.Forbidden($"anonymous dev mode refuses requests from Origin {origin}: only a loopback origin may call it");
        }
        // A page whose own host name was rebound to 127.0.0.1 (DNS rebinding) still sends its own name as Host.
        var host = request.Host;
        if (host.HasValue && !ListenAddress.IsLoopbackHost(host.Host))
        {
            throw ApiException.Forbidden($"anonymous dev mode answers only requests addressed to a loopback name " +
                $"(localhost, 127.x.x.x, [::1]); Host was {host.Value}");
        }
        // A form post from a web page is sent without a preflight; a JSON body is not.
        if (SignatureReplayGuard.ChangesState(request.Method) && RequestBody.IsPresent(request) && !IsJson(request.ContentType))
        {
            throw new ApiException(415, ErrorCodes.UnsupportedMediaType,
                $"anonymous dev mode accepts a request body only as Content-Type: application/json (was {(request.ContentType is { } type ? type : "none")})");
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && ListenAddress.IsLoopbackHost(uri.Host);
}
