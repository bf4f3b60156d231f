using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using PerfTest.ControlPlane.Api;

namespace PerfTest.ControlPlane.Auth;

/// <summary>
/// Checks an <c>Authorization: SDK-HMAC-SHA256 ...</c> request against the configured keys, and refuses a
/// state-changing one whose signature was already accepted (<see cref="SignatureReplayGuard"/>).
/// </summary>
public sealed class SdkSignatureVerifier(AuthOptions options, TimeProvider clock, SignatureReplayGuard replays)
{
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public async Task<CallerIdentity> VerifyAsync(HttpContext context, string authorization)
    {
        var parts = ParseAuthorization(authorization);
        var credential = options.Credentials.FirstOrDefault(c => c.IsComplete && FixedEquals(c.AccessKey, parts.Access))
            ?? throw ApiException.Unauthorized("the access key in Authorization is not known");
        var request = context.Request;
        var sdkDate = request.Headers["X-Sdk-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(sdkDate, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw ApiException.Unauthorized("X-Sdk-Date is missing or not in the form yyyyMMddTHHmmssZ");
        }
        if ((clock.GetUtcNow() - signedAt).Duration() > options.MaxClockSkew)
        {
            throw ApiException.Unauthorized($"X-Sdk-Date {sdkDate} is more than {options.MaxClockSkew.TotalMinutes} minutes from the server time");
        }
        if (!parts.SignedHeaders.Contains("x-sdk-date"))
        {
            throw ApiException.Unauthorized("SignedHeaders must include x-sdk-date");
        }
        foreach (var header in parts.SignedHeaders.Where(h => !request.Headers.ContainsKey(h)))
        {
            throw ApiException.Unauthorized($"signed header {header} is not in the request");
        }

        var (path, query) = RawTarget(context);
        var canonical = SdkSignature.CanonicalRequest(request.Method, path, query, parts.SignedHeaders,
            h => string.Join(',', request.Headers[h].ToArray()), await PayloadHashAsync(request));
        var expected = SdkSignature.Sign(credential.SecretKey, SdkSignature.StringToSign(sdkDate, canonical));
        if (!FixedEquals(expected, parts.Signature))
        {
            throw ApiException.Unauthorized("the request signature does not match; check the secret key and what was signed");
        }
        if (SignatureReplayGuard.ChangesState(request.Method))
        {
            replays.Accept(parts.Signature, signedAt);
        }
        return new CallerIdentity(credential.AccessKey, credential.ProjectIds.ToHashSet(StringComparer.Ordinal));
    }

    private async Task<string> PayloadHashAsync(HttpRequest request)
    {
        var declared = request.Headers["X-Sdk-Content-Sha256"].ToString();
        if (declared == "UNSIGNED-PAYLOAD")
        {
            if (RequestBody.IsPresent(request) && !options.AllowUnsignedPayload)
            {
                throw ApiException.Unauthorized("X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD is refused on a request with a body: " +
                    "the signature would not cover the body (Auth:AllowUnsignedPayload is off); sign the body's SHA-256");
            }
            return declared;
        }
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The path as the client sent it (before ASP.NET Core decodes it), and the query decoded as ASP.NET Core
    /// decodes it for the endpoints (<c>+</c> is a space, then %XX), so that the signature covers the values used.
    /// The SDKs send a space as %20 and a '+' as %2B; a client that sends a space as '+' is verified as well.
    /// </summary>
    private static (string Path, List<KeyValuePair<string, string>> Query) RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString);
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? raw : raw[..q];
        var query = new List<KeyValuePair<string, string>>();
        if (q >= 0)
        {
            foreach (var pair in raw[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query.Add(eq < 0
                    ? new(DecodeQueryComponent(pair), "")
                    : new(DecodeQueryComponent(pair[..eq]), DecodeQueryComponent(pair[(eq + 1)..])));
            }
        }
        return (path, query);
    }

    private static string DecodeQueryComponent(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));

    private static AuthorizationParts ParseAuthorization(string header)
    {
        var rest = header[SdkSignature.Algorithm.Length..].Trim();
        string? access = null, signed = null, signature = null;
        foreach (var item in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var value = item[(eq + 1)..];
            switch (item[..eq])
            {
                case "Access": access = value; break;
                case "SignedHeaders": signed = value; break;
                case "Signature": signature = value; break;
            }
        }
        if (access is null || signed is null || signature is null)
        {
            throw ApiException.Unauthorized("Authorization must read SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...");
        }
        var headers = signed.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        return new AuthorizationParts(access, headers, signature.ToLowerInvariant());
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private sealed record AuthorizationParts(string Access, IReadOnlyList<string> SignedHeaders, string Signature);
}
