using System.Globalization;
using System.Net.Http.Headers;
using PerfTest.ControlPlane.Auth;

namespace PerfTest.Cli.Http;

/// <summary>
/// Signs a request with SDK-HMAC-SHA256 as the Huawei Cloud SDKs do: X-Sdk-Date, the signed headers host and
/// x-sdk-date (and content-type with a body), the body's SHA-256, and the canonical request of
/// <see cref="SdkSignature"/>, the same code the control plane verifies with.
/// </summary>
public static class SdkSigner
{
    public static void Sign(HttpRequestMessage request, byte[]? body, string ak, string sk, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("a request without a URI");
        var sdkDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Host = uri.Authority;
        request.Headers.Add("X-Sdk-Date", sdkDate);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.Authority,
            ["x-sdk-date"] = sdkDate,
        };
        if (request.Content?.Headers.ContentType is MediaTypeHeaderValue type)
        {
            headers["content-type"] = type.ToString();
        }
        var signed = headers.Keys.ToList();
        var canonical = SdkSignature.CanonicalRequest(request.Method.Method, uri.AbsolutePath, Query(uri), signed,
            h => headers[h], SdkSignature.HexSha256(body ?? []));
        var signature = SdkSignature.Sign(sk, SdkSignature.StringToSign(sdkDate, canonical));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{SdkSignature.Algorithm} Access={ak}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }

    /// <summary>The query decoded, as the server decodes it before it builds its canonical query.</summary>
    private static List<KeyValuePair<string, string>> Query(Uri uri)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(eq < 0
                ? new(Uri.UnescapeDataString(pair), "")
                : new(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..])));
        }
        return pairs;
    }
}
