using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Google.Protobuf;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Reports;

/// <summary>
/// The streaming figures of the reports, built from protobuf seconds as the executors send them: two executors,
/// a streaming card (key 0) and an HTTP card (key 1). No database: RunData is built from rows directly.
/// </summary>
public sealed class StreamingReportTests
{
    private const long Start = 1_700_000_100;

    // The SDK's StreamingMediaReport (huaweicloud-sdk-go-v3 services/cpts/v1/model/model_streaming_media_report.go).
    private static readonly string[] SdkReportFields =
    [
        "streamingPlayTimes", "streamingErrorTimes", "streamingSuccessRate", "sentPacketsPerSecond", "receivedPacketsPerSecond",
        "recvPackets", "sendPackets", "audioSentBytes", "audioRecBytes", "videoSentBytes", "videoRecBytes",
        "sumRecvKeyFrameDelay", "avgRecvKeyFrameDelay", "minRecvKeyFrameDelay", "maxRecvKeyFrameDelay",
        "sumSendKeyFrameDelay", "avgSendKeyFrameDelay", "minSendKeyFrameDelay", "maxSendKeyFrameDelay",
        "keyFrameSendCnt", "keyFrameReceiveCnt", "tcpConnectFailed", "handShakeFailed", "rtmpConnectFailed",
        "createStreamFailed", "playFailed", "publishFailed", "retryFailed", "parseFileFailed", "illegalUrlFailed",
        "illegalFlvHeaderFailed", "httpTimeoutFailed", "parseFlvFileFailed", "unknownFailed",
    ];

    private static readonly string[] SdkRtmpBrokens =
        ["audioRecBytes", "audioSentBytes", "rtmpReceivedPackets", "rtmpSentPackets", "videoRecBytes", "videoSentBytes"];

    private static readonly string[] SdkStreamingErrorBrokens =
    [
        "createStreamFailed", "handShakeFailed", "parseFileFailed", "parseFlvFileFailed", "playFailed", "publishFailed",
        "retryFailed", "rtmpConnectFailed", "tcpConnectFailed",
    ];

    private static readonly string[] HttpBrokens = ["brand_brokens", "commonTimestamps", "respcode_brokens", "tps_brokens", "vusers_brokens"];

    private static readonly TaskRunRow TaskRun = new() { Id = 7, TaskId = 3, ProjectId = 2, RunStatus = RunStatus.Ended, StartedUs = Start * 1_000_000, EndedUs = (Start + 3) * 1_000_000 };

    private static readonly CaseRunRow CaseRun = new()
    {
        Id = 11, TaskRunId = 7, CaseId = 5, CaseName = "live", RunStatus = RunStatus.Ended,
        StartedUs = Start * 1_000_000, EndedUs = (Start + 3) * 1_000_000,
        Requests = """["play#RTMP#rtmp://origin/live/a","poll#GET#http://origin/status"]""",
    };

    private static StreamPlayResult Played(long delayMs, long packets) => new()
    {
        Outcome = Outcome.Success, BytesSent = 200, BytesReceived = 5_000, AudioBytesReceived = 1_000, VideoBytesReceived = 3_000,
        PacketsReceived = packets, PacketsSent = 4, KeyFrames = 2, FirstKeyFrameDelay = TimeSpan.FromMilliseconds(delayMs),
    };

    private static StreamPlayResult Failed(StreamFailure stage) => new() { Outcome = Outcome.Refused, Failure = stage, PacketsSent = 1 };

    private static RunSecondRow Row(string executor, long second, Action<RunRecorder> record)
    {
        var recorder = new RunRecorder(2);
        recorder.SetVirtualUsers(2);
        record(recorder);
        var proto = SnapshotMapper.ToProto(recorder.Rotate(second), stageIndex: 0);
        return new RunSecondRow { Executor = executor, UnixSecond = second, Vusers = 2, Snapshot = proto.ToByteArray() };
    }

    private static void Http(RunRecorder r) => r.Record(1, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));

    /// <summary>Plays on key 0 in the first and third second (two executors in the first), HTTP on key 1 every second.</summary>
    private static Task<RunData> StreamingRun() => StoredRuns.ReadAsync(
    [
        Row("a", Start, r => { r.RecordPlay(0, 3_000, Played(delayMs: 3, packets: 10)); Http(r); }),
        Row("b", Start, r => r.RecordPlay(0, 7_000, Played(delayMs: 7, packets: 20))),
        Row("a", Start + 1, Http),
        Row("a", Start + 2, r => { r.RecordPlay(0, 500, Failed(StreamFailure.Handshake)); r.RecordPlay(0, 400, Failed(StreamFailure.TcpConnect)); Http(r); }),
    ]);

    private static Task<RunData> HttpRun() => StoredRuns.ReadAsync([Row("a", Start, Http), Row("a", Start + 1, Http), Row("a", Start + 2, Http)]);

    private static double[] Values(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static string[] Names(JsonNode? node) => node!.AsObject().Select(kv => kv.Key).ToArray();

    private static string[] ContractNames<T>() =>
        typeof(T).GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).ToArray();

    [Fact]
    public async Task A_streaming_card_detail_has_its_streamingMediaVo_named_as_the_sdk()
    {
        var vo = ReportBuilder.Detail(TaskRun, CaseRun, await StreamingRun(), 0, "play", true)["streamingMediaVo"]!;

        Assert.Equal(SdkReportFields.Order(), Names(vo).Order());
        Assert.Equal(SdkReportFields.Order(), ContractNames<StreamingMediaReport>().Order());
        Assert.Equal(4, vo["streamingPlayTimes"]!.GetValue<long>());
        Assert.Equal(2, vo["streamingErrorTimes"]!.GetValue<long>());
        Assert.Equal(50.0, vo["streamingSuccessRate"]!.GetValue<double>());
        Assert.Equal(30, vo["recvPackets"]!.GetValue<long>());
        Assert.Equal(10, vo["sendPackets"]!.GetValue<long>());
        Assert.Equal(10.0, vo["receivedPacketsPerSecond"]!.GetValue<double>());  // 30 over the 3-second span
        Assert.Equal(3.333, vo["sentPacketsPerSecond"]!.GetValue<double>());
        Assert.Equal(2_000, vo["audioRecBytes"]!.GetValue<long>());
        Assert.Equal(6_000, vo["videoRecBytes"]!.GetValue<long>());
        Assert.Equal(0, vo["audioSentBytes"]!.GetValue<long>() + vo["videoSentBytes"]!.GetValue<long>());
        Assert.Equal(10.0, vo["sumRecvKeyFrameDelay"]!.GetValue<double>());
        Assert.Equal(5.0, vo["avgRecvKeyFrameDelay"]!.GetValue<double>());
        Assert.Equal(3.0, vo["minRecvKeyFrameDelay"]!.GetValue<double>());  // min across the two executors' seconds
        Assert.Equal(7.0, vo["maxRecvKeyFrameDelay"]!.GetValue<double>());
        Assert.Equal(4, vo["keyFrameReceiveCnt"]!.GetValue<long>());
        Assert.Equal(1, vo["handShakeFailed"]!.GetValue<long>());
        Assert.Equal(1, vo["tcpConnectFailed"]!.GetValue<long>());
        Assert.Equal(0, vo["playFailed"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_case_gets_its_cards_streaming_and_an_http_card_none()
    {
        var data = await StreamingRun();
        var report = ReportBuilder.Build(TaskRun, CaseRun, data, 10);
        var details = report["details"]!["data"]![0]!;

        Assert.Null(details["detailDatas"]![1]!.AsObject()["streamingMediaVo"]);
        Assert.False(details["detailDatas"]![1]!.AsObject().ContainsKey("streamingMediaVo"));
        var caseVo = details["performance"]!["streamingMediaVo"]!;
        Assert.Equal(4, caseVo["streamingPlayTimes"]!.GetValue<long>());
        Assert.Equal(3.0, caseVo["minRecvKeyFrameDelay"]!.GetValue<double>());
        Assert.Equal(7, details["performance"]!["requests"]!.GetValue<long>());  // 4 plays + 3 HTTP requests
    }

    [Fact]
    public async Task Streaming_curves_have_one_value_per_point_of_commonTimestamps()
    {
        var brokens = ReportBuilder.Brokens(await StreamingRun(), 0, 0);

        Assert.Equal(SdkRtmpBrokens, Names(brokens["rtmp_brokens"]).Order());
        Assert.Equal(SdkRtmpBrokens, ContractNames<RtmpBrokens>().Order());
        Assert.Equal(SdkStreamingErrorBrokens, Names(brokens["streaming_error_brokens"]).Order());
        Assert.Equal(SdkStreamingErrorBrokens, ContractNames<StreamingErrorBrokens>().Order());
        Assert.Equal([30.0, 0, 0], Values(brokens["rtmp_brokens"]!["rtmpReceivedPackets"]));
        Assert.Equal([8.0, 0, 2], Values(brokens["rtmp_brokens"]!["rtmpSentPackets"]));
        Assert.Equal([6_000.0, 0, 0], Values(brokens["rtmp_brokens"]!["videoRecBytes"]));
        Assert.Equal([0.0, 0, 1], Values(brokens["streaming_error_brokens"]!["handShakeFailed"]));
        Assert.Equal([0.0, 0, 1], Values(brokens["streaming_error_brokens"]!["tcpConnectFailed"]));
        Assert.Equal([0.0, 0, 0], Values(brokens["streaming_error_brokens"]!["playFailed"]));
        Assert.Equal(3, brokens["commonTimestamps"]!.AsArray().Count);
    }

    [Fact]
    public async Task Streaming_curves_are_downsampled_like_the_others()
    {
        var brokens = ReportBuilder.Brokens(await StreamingRun(), 2, KeySnapshot.CaseKey);

        Assert.Equal(2, brokens["commonTimestamps"]!.AsArray().Count);
        Assert.Equal(Values(brokens["tps_brokens"]!["tps"]).Length, Values(brokens["rtmp_brokens"]!["rtmpReceivedPackets"]).Length);
        Assert.Equal([30.0, 0], Values(brokens["rtmp_brokens"]!["rtmpReceivedPackets"]));  // seconds [0] and [1, 2], averaged
        Assert.Equal([0.0, 0.5], Values(brokens["streaming_error_brokens"]!["handShakeFailed"]));
    }

    [Fact]
    public async Task An_http_card_of_a_streaming_run_has_no_streaming_curves()
    {
        Assert.Equal(HttpBrokens, Names(ReportBuilder.Brokens(await StreamingRun(), 0, 1)));
    }

    [Fact]
    public async Task The_log_outline_streaming_media_is_the_cases_report()
    {
        var media = LogOutlineBuilder.Build(TaskRun, [CaseRun], [await StreamingRun()])["streaming_media"]!;

        Assert.Equal(SdkReportFields.Order(), Names(media).Order());
        Assert.Equal(4, media["streamingPlayTimes"]!.GetValue<long>());
        Assert.Equal(7.0, media["maxRecvKeyFrameDelay"]!.GetValue<double>());
        Assert.Equal(1, media["handShakeFailed"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_http_only_run_has_no_streaming_fields()
    {
        var data = await HttpRun();
        var report = ReportBuilder.Build(TaskRun, CaseRun, data, 10);

        Assert.Equal(HttpBrokens, Names(report["brokens"]));
        Assert.DoesNotContain("streaming", report.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("rtmp_brokens", ReportBuilder.Brokens(data, 0, 0).ToJsonString(), StringComparison.Ordinal);
        var outline = LogOutlineBuilder.Build(TaskRun, [CaseRun], [data]);
        Assert.True(outline.ContainsKey("streaming_media"));
        Assert.Null(outline["streaming_media"]);
    }
}
