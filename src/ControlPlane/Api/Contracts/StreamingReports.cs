using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// The streaming figures of the reports (the SDK's StreamingMediaReport, RtmpBrokens, StreamingErrorBrokens);
// present only for a request card (or case) that played streams (HLS, RTMP, HTTP-FLV). Bytes are bytes,
// key-frame delays milliseconds, failure counts are plays that failed at that stage.

/// <summary>What the streaming plays of a request card or of the case did (StreamingMediaReport).</summary>
public sealed record StreamingMediaReport
{
    [JsonPropertyName("streamingPlayTimes"), Description("Plays.")] public long StreamingPlayTimes { get; init; }
    [JsonPropertyName("streamingErrorTimes"), Description("Plays that failed (outcome not success).")] public long StreamingErrorTimes { get; init; }
    [JsonPropertyName("streamingSuccessRate"), Description("Successful plays (percent).")] public double StreamingSuccessRate { get; init; }
    [JsonPropertyName("sentPacketsPerSecond"), Description("Packets sent per second over the run's span.")] public double SentPacketsPerSecond { get; init; }
    [JsonPropertyName("receivedPacketsPerSecond"), Description("Packets received per second over the run's span.")] public double ReceivedPacketsPerSecond { get; init; }
    [JsonPropertyName("recvPackets"), Description("Media packets received: RTMP messages / FLV tags; HLS segments.")] public long RecvPackets { get; init; }
    [JsonPropertyName("sendPackets"), Description("Protocol messages sent: RTMP commands and control messages; HTTP requests (HLS, HTTP-FLV).")] public long SendPackets { get; init; }
    [JsonPropertyName("audioSentBytes"), Description("Audio payload bytes sent (0: no publishing yet).")] public long AudioSentBytes { get; init; }
    [JsonPropertyName("audioRecBytes"), Description("Audio payload bytes received (0 for HLS, which is not demuxed).")] public long AudioRecBytes { get; init; }
    [JsonPropertyName("videoSentBytes"), Description("Video payload bytes sent (0: no publishing yet).")] public long VideoSentBytes { get; init; }
    [JsonPropertyName("videoRecBytes"), Description("Video payload bytes received (0 for HLS, which is not demuxed).")] public long VideoRecBytes { get; init; }
    [JsonPropertyName("sumRecvKeyFrameDelay"), Description("Sum of the delays from a play's start to its first key frame (HLS: first segment), ms.")] public double SumRecvKeyFrameDelay { get; init; }
    [JsonPropertyName("avgRecvKeyFrameDelay"), Description("Average first key-frame delay over the plays that got one, ms.")] public double AvgRecvKeyFrameDelay { get; init; }
    [JsonPropertyName("minRecvKeyFrameDelay"), Description("Shortest first key-frame delay, ms (0 when none).")] public double MinRecvKeyFrameDelay { get; init; }
    [JsonPropertyName("maxRecvKeyFrameDelay"), Description("Longest first key-frame delay, ms.")] public double MaxRecvKeyFrameDelay { get; init; }
    [JsonPropertyName("sumSendKeyFrameDelay"), Description("Publishing key-frame delay sum (0: no publishing yet).")] public double SumSendKeyFrameDelay { get; init; }
    [JsonPropertyName("avgSendKeyFrameDelay"), Description("Publishing key-frame delay average (0).")] public double AvgSendKeyFrameDelay { get; init; }
    [JsonPropertyName("minSendKeyFrameDelay"), Description("Publishing key-frame delay minimum (0).")] public double MinSendKeyFrameDelay { get; init; }
    [JsonPropertyName("maxSendKeyFrameDelay"), Description("Publishing key-frame delay maximum (0).")] public double MaxSendKeyFrameDelay { get; init; }
    [JsonPropertyName("keyFrameSendCnt"), Description("Key frames sent (0: no publishing yet).")] public long KeyFrameSendCnt { get; init; }
    [JsonPropertyName("keyFrameReceiveCnt"), Description("Video key frames received (0 for HLS).")] public long KeyFrameReceiveCnt { get; init; }
    [JsonPropertyName("tcpConnectFailed"), Description("Plays whose TCP connect failed.")] public long TcpConnectFailed { get; init; }
    [JsonPropertyName("handShakeFailed"), Description("Plays whose RTMP handshake failed.")] public long HandShakeFailed { get; init; }
    [JsonPropertyName("rtmpConnectFailed"), Description("Plays whose RTMP connect was refused or unanswered.")] public long RtmpConnectFailed { get; init; }
    [JsonPropertyName("createStreamFailed"), Description("Plays whose RTMP createStream failed.")] public long CreateStreamFailed { get; init; }
    [JsonPropertyName("playFailed"), Description("Plays refused, or ended before any media.")] public long PlayFailed { get; init; }
    [JsonPropertyName("publishFailed"), Description("Publishes refused (0: no publishing yet).")] public long PublishFailed { get; init; }
    [JsonPropertyName("retryFailed"), Description("Plays whose request still failed after its retries.")] public long RetryFailed { get; init; }
    [JsonPropertyName("parseFileFailed"), Description("Plays whose HLS playlist could not be parsed.")] public long ParseFileFailed { get; init; }
    [JsonPropertyName("illegalUrlFailed"), Description("Plays with an unusable URL.")] public long IllegalUrlFailed { get; init; }
    [JsonPropertyName("illegalFlvHeaderFailed"), Description("HTTP-FLV plays without a valid FLV header.")] public long IllegalFlvHeaderFailed { get; init; }
    [JsonPropertyName("httpTimeoutFailed"), Description("Plays whose HTTP request timed out.")] public long HttpTimeoutFailed { get; init; }
    [JsonPropertyName("parseFlvFileFailed"), Description("Plays with a malformed FLV tag stream.")] public long ParseFlvFileFailed { get; init; }
    [JsonPropertyName("unknownFailed"), Description("Plays that failed at another stage.")] public long UnknownFailed { get; init; }
}

/// <summary>Streaming traffic per second (RtmpBrokens), for every play kind despite the name.</summary>
public sealed record RtmpBrokens
{
    [JsonPropertyName("audioRecBytes"), Description("Audio bytes received per second.")] public required IReadOnlyList<double> AudioRecBytes { get; init; }
    [JsonPropertyName("audioSentBytes"), Description("Audio bytes sent per second (0).")] public required IReadOnlyList<double> AudioSentBytes { get; init; }
    [JsonPropertyName("rtmpReceivedPackets"), Description("Media packets received per second.")] public required IReadOnlyList<double> RtmpReceivedPackets { get; init; }
    [JsonPropertyName("rtmpSentPackets"), Description("Protocol messages sent per second.")] public required IReadOnlyList<double> RtmpSentPackets { get; init; }
    [JsonPropertyName("videoRecBytes"), Description("Video bytes received per second.")] public required IReadOnlyList<double> VideoRecBytes { get; init; }
    [JsonPropertyName("videoSentBytes"), Description("Video bytes sent per second (0).")] public required IReadOnlyList<double> VideoSentBytes { get; init; }
}

/// <summary>Failed plays per second by stage (StreamingErrorBrokens).</summary>
public sealed record StreamingErrorBrokens
{
    [JsonPropertyName("createStreamFailed"), Description("RTMP createStream failures.")] public required IReadOnlyList<double> CreateStreamFailed { get; init; }
    [JsonPropertyName("handShakeFailed"), Description("RTMP handshake failures.")] public required IReadOnlyList<double> HandShakeFailed { get; init; }
    [JsonPropertyName("parseFileFailed"), Description("HLS playlist parse failures.")] public required IReadOnlyList<double> ParseFileFailed { get; init; }
    [JsonPropertyName("parseFlvFileFailed"), Description("FLV tag stream parse failures.")] public required IReadOnlyList<double> ParseFlvFileFailed { get; init; }
    [JsonPropertyName("playFailed"), Description("Plays refused or without media.")] public required IReadOnlyList<double> PlayFailed { get; init; }
    [JsonPropertyName("publishFailed"), Description("Publishes refused (0).")] public required IReadOnlyList<double> PublishFailed { get; init; }
    [JsonPropertyName("retryFailed"), Description("Requests failed after their retries.")] public required IReadOnlyList<double> RetryFailed { get; init; }
    [JsonPropertyName("rtmpConnectFailed"), Description("RTMP connect failures.")] public required IReadOnlyList<double> RtmpConnectFailed { get; init; }
    [JsonPropertyName("tcpConnectFailed"), Description("TCP connect failures.")] public required IReadOnlyList<double> TcpConnectFailed { get; init; }
}
