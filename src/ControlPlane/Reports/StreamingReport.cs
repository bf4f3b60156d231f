using System.Text.Json.Nodes;
using PerfTest.Metrics;
using PerfTest.Protocols.Streaming;

namespace PerfTest.ControlPlane.Reports;

/// <summary>
/// The streaming figures of the reports, named as the SDK's models: <c>StreamingMediaReport</c> (a detail's
/// <c>streamingMediaVo</c>, the log outline's <c>streaming_media</c>) and the <c>rtmp_brokens</c> and
/// <c>streaming_error_brokens</c> curves. Bytes are bytes, key-frame delays milliseconds.
/// </summary>
public static class StreamingReport
{
    /// <summary>Every failure stage with its StreamingMediaReport field; the ones with a curve are marked.</summary>
    private static readonly (StreamFailure Stage, string Name, bool Curve)[] FailureFields =
    [
        (StreamFailure.CreateStream, "createStreamFailed", true),
        (StreamFailure.Handshake, "handShakeFailed", true),
        (StreamFailure.HttpTimeout, "httpTimeoutFailed", false),
        (StreamFailure.IllegalFlvHeader, "illegalFlvHeaderFailed", false),
        (StreamFailure.IllegalUrl, "illegalUrlFailed", false),
        (StreamFailure.ParseFile, "parseFileFailed", true),
        (StreamFailure.ParseFlvFile, "parseFlvFileFailed", true),
        (StreamFailure.Play, "playFailed", true),
        (StreamFailure.Publish, "publishFailed", true),
        (StreamFailure.Retry, "retryFailed", true),
        (StreamFailure.RtmpConnect, "rtmpConnectFailed", true),
        (StreamFailure.TcpConnect, "tcpConnectFailed", true),
        (StreamFailure.Unknown, "unknownFailed", false),
    ];

    /// <summary>A StreamingMediaReport of merged counters; per-second rates over <paramref name="seconds"/> (at least 1).</summary>
    public static JsonObject Build(StreamingSnapshot s, int seconds)
    {
        ArgumentNullException.ThrowIfNull(s);
        seconds = Math.Max(1, seconds);
        var report = new JsonObject
        {
            ["streamingPlayTimes"] = s.Plays,
            ["streamingErrorTimes"] = s.ErrorPlays,
            ["streamingSuccessRate"] = s.Plays == 0 ? 0 : ReportBuilder.Round((s.Plays - s.ErrorPlays) * 100.0 / s.Plays),
            ["sentPacketsPerSecond"] = ReportBuilder.Round(s.PacketsSent / (double)seconds),
            ["receivedPacketsPerSecond"] = ReportBuilder.Round(s.PacketsReceived / (double)seconds),
            ["recvPackets"] = s.PacketsReceived,
            ["sendPackets"] = s.PacketsSent,
            ["audioSentBytes"] = s.AudioBytesSent,
            ["audioRecBytes"] = s.AudioBytesReceived,
            ["videoSentBytes"] = s.VideoBytesSent,
            ["videoRecBytes"] = s.VideoBytesReceived,
            ["sumRecvKeyFrameDelay"] = Ms(s.KeyFrameDelaySumMicros),
            ["avgRecvKeyFrameDelay"] = s.KeyFrameDelays == 0 ? 0 : ReportBuilder.Round(s.KeyFrameDelaySumMicros / (double)s.KeyFrameDelays / 1000.0),
            ["minRecvKeyFrameDelay"] = Ms(s.KeyFrameDelayMinMicros),
            ["maxRecvKeyFrameDelay"] = Ms(s.KeyFrameDelayMaxMicros),
            // No player publishes yet, so nothing sends key frames: the send side stays 0.
            ["sumSendKeyFrameDelay"] = 0,
            ["avgSendKeyFrameDelay"] = 0,
            ["minSendKeyFrameDelay"] = 0,
            ["maxSendKeyFrameDelay"] = 0,
            ["keyFrameSendCnt"] = 0,
            ["keyFrameReceiveCnt"] = s.KeyFramesReceived,
        };
        foreach (var (stage, name, _) in FailureFields)
        {
            report[name] = s.Failed(stage);
        }
        return report;
    }

    /// <summary>
    /// Adds <c>rtmp_brokens</c> and <c>streaming_error_brokens</c> to <paramref name="brokens"/> when
    /// <paramref name="key"/> had plays; <paramref name="curve"/> builds a curve of counts as the other brokens are built.
    /// </summary>
    public static void AddBrokens(JsonObject brokens, RunData data, int key, Func<Func<RunPoint, double>, JsonArray> curve)
    {
        ArgumentNullException.ThrowIfNull(brokens);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(curve);
        if (data.Total(key).Streaming is null)
        {
            return;
        }
        JsonArray Of(Func<StreamingSnapshot, long> value) => curve(s => s.Key(key).Streaming is { } streaming ? value(streaming) : 0);
        brokens["rtmp_brokens"] = new JsonObject
        {
            ["audioRecBytes"] = Of(s => s.AudioBytesReceived),
            ["audioSentBytes"] = Of(s => s.AudioBytesSent),
            ["rtmpReceivedPackets"] = Of(s => s.PacketsReceived),
            ["rtmpSentPackets"] = Of(s => s.PacketsSent),
            ["videoRecBytes"] = Of(s => s.VideoBytesReceived),
            ["videoSentBytes"] = Of(s => s.VideoBytesSent),
        };
        var errors = new JsonObject();
        foreach (var (stage, name, _) in FailureFields.Where(f => f.Curve))
        {
            errors[name] = Of(s => s.Failed(stage));
        }
        brokens["streaming_error_brokens"] = errors;
    }

    private static double Ms(long micros) => ReportBuilder.Round(micros / 1000.0);
}
