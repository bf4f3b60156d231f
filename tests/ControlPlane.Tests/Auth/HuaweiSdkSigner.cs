using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>
/// The SDK-HMAC-SHA256 signer as the official Huawei Cloud Python SDK implements it
/// (huaweicloudsdkcore/signer/signer.py), written out on its own in the test so that the
/// server's verifier is checked against the SDK's algorithm, not against itself:
/// every header without '_' is signed, sorted; the canonical URI gets a trailing slash;
/// quote(s, safe='~') escaping; lowercase hex HMAC keyed with the secret key.
/// </summary>
public static class HuaweiSdkSigner
{
    public static void Sign(HttpRequestMessage request, string ak, string sk, DateTime utcNow, string? projectId = null)
    {
        var sdkDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        request.Headers.TryAddWithoutValidation("X-Sdk-Date", sdkDate);
        request.Headers.TryAddWithoutValidation("User-Agent", "huaweicloud-usdk-python/3.0");
        if (projectId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Project-Id", projectId);
        }
        var uri = request.RequestUri!;
        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        foreach (var h in request.Headers)
        {
            headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value).Trim();
        }
        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value).Trim();
            }
            body = request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }
        var signed = headers.Keys.Where(k => !k.Contains('_', StringComparison.Ordinal)).ToList();

        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var canonicalUri = string.Join("/", path.Split('/').Select(Quote));
        if (!canonicalUri.EndsWith('/'))
        {
            canonicalUri += "/";
        }
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => (K: Uri.UnescapeDataString(kv[0]), V: kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""))
            .OrderBy(kv => kv.K, StringComparer.Ordinal).ThenBy(kv => kv.V, StringComparer.Ordinal)
            .Select(kv => Quote(kv.K) + "=" + Quote(kv.V));
        var canonicalHeaders = string.Join("\n", signed.Select(k => k + ":" + headers[k])) + "\n";
        var hash = body.Length == 0
            ? "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            : Convert.ToHexStringLower(SHA256.HashData(body));
        var canonicalRequest = string.Join("\n", request.Method.Method.ToUpperInvariant(), canonicalUri, string.Join("&", query),
            canonicalHeaders, string.Join(";", signed), hash);
        var stringToSign = "SDK-HMAC-SHA256\n" + sdkDate + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sk), Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={string.Join(";", signed)}, Signature={signature}");
    }

    /// <summary>urllib.parse.quote(s, safe='~'): letters, digits and _.-~ stay, every other UTF-8 byte is %XX.</summary>
    private static string Quote(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || b == '_' || b == '.' || b == '-' || b == '~')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
