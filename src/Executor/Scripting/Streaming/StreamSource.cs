using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Hls;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Rtmp;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Executor.Scripting.Streaming;

/// <summary>
/// What a streaming card plays and with which player: one small type per protocol, so the card itself
/// stays the same for HLS, RTMP and HTTP-FLV.
/// </summary>
public abstract class StreamSource
{
    /// <summary>The report's method for the card ("HLS", "RTMP", "HTTP-FLV").</summary>
    public abstract string Method { get; }

    /// <summary>The card's URL as written, for the report's request name.</summary>
    public abstract string Url { get; }

    /// <summary>A VU's player, kept across its iterations (HLS and HTTP-FLV keep their connection alive).</summary>
    public abstract IAsyncDisposable NewPlayer();

    public abstract Task<StreamPlayResult> PlayAsync(IAsyncDisposable player, CancellationToken cancellationToken);
}

/// <summary>protocol_type 7 with <c>url</c> to an .m3u8 playlist.</summary>
public sealed class HlsSource(HlsPlaySpec spec, HttpClientOptions options) : StreamSource
{
    public HlsPlaySpec Spec { get; } = spec;

    public override string Method => "HLS";

    public override string Url => Spec.Url.ToString();

    public override IAsyncDisposable NewPlayer() => new HlsPlayer(options);

    public override async Task<StreamPlayResult> PlayAsync(IAsyncDisposable player, CancellationToken cancellationToken) =>
        (await ((HlsPlayer)player).PlayAsync(Spec, cancellationToken)).ToStreamPlay();
}

/// <summary>protocol_type 7 with <c>rtmp_url</c>.</summary>
public sealed class RtmpSource(RtmpPlaySpec spec, TargetPolicy targets) : StreamSource
{
    public RtmpPlaySpec Spec { get; } = spec;

    public override string Method => "RTMP";

    public override string Url => Spec.Url.ToString();

    public override IAsyncDisposable NewPlayer() => new RtmpPlayer(targets);

    public override Task<StreamPlayResult> PlayAsync(IAsyncDisposable player, CancellationToken cancellationToken) =>
        ((RtmpPlayer)player).PlayAsync(Spec, cancellationToken);
}

/// <summary>protocol_type 10 with <c>flv_url</c>.</summary>
public sealed class HttpFlvSource(HttpFlvPlaySpec spec, HttpClientOptions options) : StreamSource
{
    public HttpFlvPlaySpec Spec { get; } = spec;

    public override string Method => "HTTP-FLV";

    public override string Url => Spec.Url.ToString();

    public override IAsyncDisposable NewPlayer() => new HttpFlvPlayer(options);

    public override Task<StreamPlayResult> PlayAsync(IAsyncDisposable player, CancellationToken cancellationToken) =>
        ((HttpFlvPlayer)player).PlayAsync(Spec, cancellationToken);
}
