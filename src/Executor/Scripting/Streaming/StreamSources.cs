using PerfTest.Executor.Contract;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Hls;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Executor.Scripting.Streaming;

/// <summary>
/// The source of a plan's streaming play (docs/protocols-streaming.md): HLS at an .m3u8 playlist, RTMP, or HTTP-FLV;
/// <c>duration</c> is in seconds (default 10), <c>retry_delay</c> in ms.
/// </summary>
internal static class StreamSources
{
    public const int DefaultDurationSeconds = 10;

    public static StreamSource Compile(StreamPlay play, string path, HttpClientOptions timeouts)
    {
        var duration = TimeSpan.FromSeconds(play.DurationSeconds > 0 ? play.DurationSeconds : DefaultDurationSeconds);
        var uri = path + ".content." + play.UrlField;
        switch (play.Kind)
        {
            case StreamKind.HttpFlv:
                var flvUri = Absolute(play.Url, uri, "http", "https");
                return new HttpFlvSource(new HttpFlvPlaySpec(flvUri, duration, timeouts.ConnectTimeout, timeouts.ResponseTimeout), timeouts);
            case StreamKind.Rtmp:
                var rtmpUri = Absolute(play.Url, uri, "rtmp");
                return new RtmpSource(new RtmpPlaySpec(rtmpUri, duration, timeouts.ConnectTimeout, timeouts.ResponseTimeout), timeouts.Targets);
            default:
                var spec = new HlsPlaySpec(Absolute(play.Url, uri, "http", "https"), play.BitrateType, duration,
                    play.RetryTime, TimeSpan.FromMilliseconds(play.RetryDelayMs));
                return new HlsSource(spec, timeouts);
        }
    }

    private static Uri Absolute(string url, string path, params string[] schemes) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme) && uri.Host.Length > 0 ? uri
            : throw new ScriptException($"{path} '{url}' is not an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL");
}
