using System.Text.Json.Nodes;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Hls;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Executor.Scripting.Streaming;

/// <summary>
/// Reads a streaming card's fields (docs/protocols-streaming.md): protocol_type 7 plays <c>rtmp_url</c> when set,
/// else the HLS playlist at <c>url</c>; protocol_type 10 plays the HTTP-FLV stream at <c>flv_url</c> (else <c>url</c>). <c>duration</c> is in seconds (default 10), <c>retry_delay</c> in ms.
/// </summary>
internal static class StreamSources
{
    public const int DefaultDurationSeconds = 10;

    public static StreamSource Compile(JsonObject info, string path, int protocol, HttpClientOptions timeouts)
    {
        var duration = TimeSpan.FromSeconds(ScriptJson.Int(info, "duration") is > 0 and var d ? d : DefaultDurationSeconds);
        if (protocol == 10)
        {
            var flv = ScriptJson.Text(info, "flv_url") is { Length: > 0 } f ? (f, ".content.flv_url")
                : ScriptJson.Text(info, "url") is { Length: > 0 } g ? (g, ".content.url")
                : throw new ScriptException($"{path}.content: protocol_type 10 needs flv_url");
            var flvUri = Absolute(flv.Item1, path + flv.Item2, "http", "https");
            return new HttpFlvSource(new HttpFlvPlaySpec(flvUri, duration, timeouts.ConnectTimeout, timeouts.ResponseTimeout), timeouts);
        }
        if (ScriptJson.Text(info, "rtmp_url") is { Length: > 0 } rtmp)
        {
            var rtmpUri = Absolute(rtmp, path + ".content.rtmp_url", "rtmp");
            return new RtmpSource(new RtmpPlaySpec(rtmpUri, duration, timeouts.ConnectTimeout, timeouts.ResponseTimeout));
        }
        var url = ScriptJson.Text(info, "url") is { Length: > 0 } u ? u
            : throw new ScriptException($"{path}.content: protocol_type {protocol} needs url (an HLS .m3u8 playlist) or rtmp_url");
        var spec = new HlsPlaySpec(Absolute(url, path + ".content.url", "http", "https"), ScriptJson.Int(info, "bitrate_type"), duration,
            Math.Max(0, ScriptJson.Int(info, "retry_time")), TimeSpan.FromMilliseconds(Math.Max(0, ScriptJson.Int(info, "retry_delay"))));
        return new HlsSource(spec, timeouts);
    }

    private static Uri Absolute(string url, string path, params string[] schemes) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme) && uri.Host.Length > 0 ? uri
            : throw new ScriptException($"{path} '{url}' is not an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL");
}
