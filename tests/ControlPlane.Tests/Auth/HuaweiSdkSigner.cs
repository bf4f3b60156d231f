using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>
/// The SDK-HMAC-SHA256 signer as the official Huawei Cloud Python SDK implements it
/// (huaweicloudsdkcore/signer/signer.py), written out on its own in the test so that the
/// server's verifier is checked against the SDK's algorithm, not against itself:
/// every header without '_' is signed, sorted; the canonical URI gets a trailing slash;
/// quote(s, safe='~') escaping; lowercase hex HMAC keyed with the secret key; an X-Sdk-Content-Sha256
/// header's value is used as the payload hash as it is. The SDK signs the query parameters it was given
/// (sorted by key, then value) and sends them as it signed them; the query argument stands for them.
/// </summary>
public static class HuaweiSdkSigner
{
    /// <summary>Adds X-Sdk-Date, Host, User-Agent, X-Project-Id (when given) and the Authorization the SDK computes.</summary>
    /// <param name="request">The request, with its absolute URI and its body.</param>
    /// <param name="ak">The access key.</param>
    /// <param name="sk">The secret key.</param>
    /// <param name="utcNow">The X-Sdk-Date to sign with.</param>
    /// <param name="projectId">Sent as X-Project-Id, as the SDK does.</param>
    /// <param name="query">The query parameters as the SDK was given them; null takes them from the request URI, %XX-decoded.</param>
    public static void Sign(HttpRequestMessage request, string ak, string sk, DateTime utcNow, string? projectId = null,
        IReadOnlyList<(string Key, string Value)>? query = null)
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
        query ??= uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => (Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""))
            .ToList();
        var canonicalQuery = CanonicalQuery(query);
        var canonicalHeaders = string.Join("\n", signed.Select(k => k + ":" + headers[k])) + "\n";
        var hash = headers.TryGetValue("x-sdk-content-sha256", out var declared) ? declared
            : body.Length == 0 ? "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            : Convert.ToHexStringLower(SHA256.HashData(body));
        var canonicalRequest = string.Join("\n", request.Method.Method.ToUpperInvariant(), canonicalUri, canonicalQuery,
            canonicalHeaders, string.Join(";", signed), hash);
        var stringToSign = "SDK-HMAC-SHA256\n" + sdkDate + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sk), Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={string.Join(";", signed)}, Signature={signature}");
    }

    /// <summary>
    /// The parameters sorted by key, then value, each quoted: what the SDK signs, and (Python's request.uri,
    /// Go's url.Values.Encode with '+' turned into %20) what it sends as the query string.
    /// </summary>
    public static string CanonicalQuery(IEnumerable<(string Key, string Value)> query) =>
        string.Join("&", query.OrderBy(kv => kv.Key, StringComparer.Ordinal).ThenBy(kv => kv.Value, StringComparer.Ordinal)
            .Select(kv => Quote(kv.Key) + "=" + Quote(kv.Value)));

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
