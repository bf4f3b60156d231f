using Microsoft.AspNetCore.Http.Features;

namespace PerfTest.ControlPlane.Auth;

/// <summary>Whether a request carries a body, judged from its framing before it is read.</summary>
public static class RequestBody
{
    /// <summary>
    /// True for a Content-Length above 0, a chunked body, or an HTTP/2 stream the client did not end with its
    /// headers: Kestrel's own reading of the framing, so no way of sending a body is missed.
    /// </summary>
    public static bool IsPresent(HttpRequest request) =>
        request.ContentLength is { } length
            ? length > 0
            : request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
}
