namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// A play URL split the way an RTMP server reads it: rtmp://host[:port]/app/stream. The application is the
/// first path segment; the stream name is the rest of the path with the query string (nginx-rtmp passes
/// the query to its notify hooks, tokens often travel there).
/// </summary>
internal sealed record RtmpUrl(string Host, int Port, string App, string StreamName, string TcUrl)
{
    public const int DefaultPort = 1935;

    public static bool TryParse(Uri url, out RtmpUrl? parsed, out string? error)
    {
        parsed = null;
        error = Check(url);
        if (error is not null)
        {
            return false;
        }
        var path = url.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var app = slash > 0 ? Uri.UnescapeDataString(path[..slash]) : "";
        var stream = slash > 0 ? Uri.UnescapeDataString(path[(slash + 1)..]) : "";
        if (app.Length == 0 || stream.Length == 0)
        {
            error = $"{url}: expected rtmp://host[:port]/app/stream, the application or the stream name is missing";
            return false;
        }
        var port = url.Port is > 0 and <= 65535 ? url.Port : DefaultPort;
        parsed = new RtmpUrl(url.DnsSafeHost, port, app, stream + url.Query, $"rtmp://{url.Host}:{port}/{app}");
        return true;
    }

    private static string? Check(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            return $"'{url}' is not an absolute rtmp:// URL";
        }
        if (!string.Equals(url.Scheme, "rtmp", StringComparison.OrdinalIgnoreCase))
        {
            return $"{url}: the scheme is '{url.Scheme}', not rtmp";
        }
        return string.IsNullOrEmpty(url.DnsSafeHost) ? $"{url}: no host" : null;
    }
}
