namespace PerfTest.Protocols.Streaming;

/// <summary>
/// The stage at which a streaming play (HLS, RTMP, HTTP-FLV) failed, named as the report's streaming failure
/// classes (the SDK's StreamingMediaReport: tcpConnectFailed, handShakeFailed, rtmpConnectFailed...).
/// </summary>
public enum StreamFailure : byte
{
    None,
    /// <summary>The TCP connection was refused, reset or timed out while connecting.</summary>
    TcpConnect,
    /// <summary>RTMP handshake (C0-C2/S0-S2) failed.</summary>
    Handshake,
    /// <summary>RTMP <c>connect</c> command refused or unanswered.</summary>
    RtmpConnect,
    /// <summary>RTMP <c>createStream</c> refused or unanswered.</summary>
    CreateStream,
    /// <summary>RTMP <c>play</c> refused (NetStream.Play.StreamNotFound...), or the stream ended before any media.</summary>
    Play,
    /// <summary>RTMP <c>publish</c> refused (no publishing card yet; kept for the report's class).</summary>
    Publish,
    /// <summary>A request failed again after its <c>retry_time</c> retries.</summary>
    Retry,
    /// <summary>An HLS playlist could not be parsed.</summary>
    ParseFile,
    /// <summary>The card's URL is not a usable rtmp/http(s) URL.</summary>
    IllegalUrl,
    /// <summary>An HTTP-FLV body does not start with a valid FLV header.</summary>
    IllegalFlvHeader,
    /// <summary>An HTTP request timed out.</summary>
    HttpTimeout,
    /// <summary>An FLV tag stream (HTTP-FLV body or RTMP payload) is malformed.</summary>
    ParseFlvFile,
    Unknown,
}

/// <summary>
/// What one streaming play did, in the shape the report's streaming fields need. Every player (HLS, RTMP,
/// HTTP-FLV) returns one; the card records it with the play's response time: the delay to the first key
/// frame (RTMP, HTTP-FLV) or to the first segment (HLS), else the time until the play failed.
/// </summary>
public sealed record StreamPlayResult
{
    public required Outcome Outcome { get; init; }

    public StreamFailure Failure { get; init; }

    /// <summary>What went wrong, for the run log; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>All bytes read from / written to the wire (headers and protocol overhead included).</summary>
    public long BytesReceived { get; init; }

    public long BytesSent { get; init; }

    /// <summary>Audio and video payload bytes received (FLV tag / RTMP message bodies). HLS does not demux
    /// its segments: both stay 0 there and the segment bytes are in <see cref="BytesReceived"/>.</summary>
    public long AudioBytesReceived { get; init; }

    public long VideoBytesReceived { get; init; }

    /// <summary>Media packets: RTMP messages / FLV tags received; HLS segments downloaded.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Protocol messages sent: RTMP commands and control messages; HTTP requests (HLS, HTTP-FLV).</summary>
    public long PacketsSent { get; init; }

    /// <summary>Video key frames received (0 for HLS, which does not demux).</summary>
    public long KeyFrames { get; init; }

    /// <summary>From the play's start (before the TCP connect) to the first key frame (HLS: first whole segment); null when none came.</summary>
    public TimeSpan? FirstKeyFrameDelay { get; init; }

    /// <summary>Retries made (HLS playlist and segment GETs).</summary>
    public int Retries { get; init; }

    /// <summary>How long the play lasted, from its start to its end or failure.</summary>
    public TimeSpan Elapsed { get; init; }
}
