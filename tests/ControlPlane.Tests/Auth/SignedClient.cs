using PerfTest.ControlPlane.Tests.Infrastructure;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>Sends requests to a test server signed with one AK/SK as the Huawei Cloud SDK signs them.</summary>
public sealed class SignedClient(ControlPlaneServer server, string ak, string sk, string projectId)
{
    /// <summary>Signs and sends a request; the response's status and body.</summary>
    /// <param name="method">The method.</param>
    /// <param name="path">Path and query as sent.</param>
    /// <param name="json">The body, sent as application/json.</param>
    /// <param name="at">The X-Sdk-Date to sign with (now when null): the same date, request and key give the same signature.</param>
    /// <param name="prepare">Changes the request before it is signed (extra headers, another body).</param>
    /// <param name="tamper">Changes the request after it is signed.</param>
    /// <param name="query">The query parameters as the SDK was given them (see <see cref="HuaweiSdkSigner.Sign"/>).</param>
    /// <param name="secretKey">Signs with this secret key instead of the client's.</param>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null, DateTime? at = null,
        Action<HttpRequestMessage>? prepare = null, Action<HttpRequestMessage>? tamper = null,
        IReadOnlyList<(string Key, string Value)>? query = null, string? secretKey = null) =>
        server.Http.SendJsonAsync(method, path, json, r =>
        {
            r.RequestUri = new Uri(server.BaseAddress, path);
            prepare?.Invoke(r);
            HuaweiSdkSigner.Sign(r, ak, secretKey ?? sk, at ?? DateTime.UtcNow, projectId, query);
            tamper?.Invoke(r);
        });
}
