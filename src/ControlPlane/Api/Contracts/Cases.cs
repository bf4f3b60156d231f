using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Cases (API reference 4.3 and the SDK's v2 test cases). CaseInfoDetail and its parts are also the
// case_list of a task and the contents of a transaction. Every member is optional in the contract;
// members not listed are stored and returned as sent.

/// <summary>A case: the body of create_new_case, update_new_case and update_case, and test_case of show_case.</summary>
public sealed record CaseInfoDetail
{
    [JsonPropertyName("case_id"), Description("Case id (json.test_case_id of create_new_case). Set by the server.")]
    public long? CaseId { get; init; }

    [JsonPropertyName("name"), Description("Case name, at most 128 characters. Mandatory for create_new_case, update_new_case, and update_case with target name or all.")]
    public string? Name { get; init; }

    [JsonPropertyName("case_type"), Description("Case type (0: normal case).")]
    public int? CaseType { get; init; }

    [JsonPropertyName("contents"), Description("Case script. Mandatory for update_new_case and for update_case with target content.")]
    public IReadOnlyList<Contents>? Contents { get; init; }

    [JsonPropertyName("for_loop_params"), Description("Logic controller field of the old edition; not used.")]
    public IReadOnlyList<JsonObject>? ForLoopParams { get; init; }

    [JsonPropertyName("increase_setting"), Description("Gradient increment.")]
    public IReadOnlyList<JsonObject>? IncreaseSetting { get; init; }

    [JsonPropertyName("stages"), Description("Phases. Mandatory for update_new_case and for update_case with target stage.")]
    public IReadOnlyList<TestCaseStage>? Stages { get; init; }

    [JsonPropertyName("status"), Description("0: deleted; 1: enabled; 2: disabled.")]
    public int? Status { get; init; }

    [JsonPropertyName("temp_id"), Description("Case id (json.test_case_id of create_new_case).")]
    public long? TempId { get; init; }

    [JsonPropertyName("sort"), Description("Sorting field. Set by the server.")]
    public long? Sort { get; init; }

    [JsonPropertyName("directory_id"), Description("Directory of the case. Mandatory for create_new_case and update_new_case.")]
    public long? DirectoryId { get; init; }

    [JsonPropertyName("setup_contents"), Description("Preparations.")]
    public IReadOnlyList<Contents>? SetupContents { get; init; }

    [JsonPropertyName("user_replicas"), Description("Actuators.")]
    public int? UserReplicas { get; init; }

    [JsonPropertyName("collect_log_policy"), Description("0: request mode; 1: case mode.")]
    public int? CollectLogPolicy { get; init; }

    [JsonPropertyName("link_app_list"), Description("Associated full-link applications.")]
    public IReadOnlyList<long>? LinkAppList { get; init; }

    [JsonPropertyName("case_info"), Description("Text case information.")]
    public CaseDoc? CaseInfo { get; init; }
}

/// <summary>One pressure phase of a case.</summary>
public sealed record TestCaseStage
{
    [JsonPropertyName("operate_mode"), Description("0: by duration; 1: by count.")] public int? OperateMode { get; init; }
    [JsonPropertyName("name"), Description("Phase name.")] public string? Name { get; init; }
    [JsonPropertyName("time"), Description("Duration, in seconds.")] public int? Time { get; init; }
    [JsonPropertyName("start_time"), Description("Start time.")] public int? StartTime { get; init; }
    [JsonPropertyName("end_time"), Description("End time.")] public int? EndTime { get; init; }
    [JsonPropertyName("issue_num"), Description("Maximum concurrency.")] public int? IssueNum { get; init; }
    [JsonPropertyName("count"), Description("Total transmission times.")] public int? Count { get; init; }

    [JsonPropertyName("pressure_mode"), Description("0: concurrency; 1: TPS; 2: high pressure; 3: surge concurrency; 4: surge TPS; "
        + "5: flapping concurrency; 6: flapping TPS; 7: intelligent high pressure.")]
    public int? PressureMode { get; init; }

    [JsonPropertyName("tps_value"), Description("TPS value in TPS mode.")] public int? TpsValue { get; init; }
    [JsonPropertyName("current_user_num"), Description("Start concurrency.")] public int? CurrentUserNum { get; init; }
    [JsonPropertyName("current_tps"), Description("Start TPS value.")] public int? CurrentTps { get; init; }
    [JsonPropertyName("voltage_regulating_mode"), Description("0: automated; 1: manual.")] public int? VoltageRegulatingMode { get; init; }
    [JsonPropertyName("maximum"), Description("Maximum concurrency in the surge mode.")] public int? Maximum { get; init; }
    [JsonPropertyName("minimum"), Description("Minimum concurrency in the surge mode.")] public int? Minimum { get; init; }
    [JsonPropertyName("loop_count"), Description("Oscillation/surge times.")] public int? LoopCount { get; init; }
    [JsonPropertyName("max_duration"), Description("Peak duration in the surge mode.")] public int? MaxDuration { get; init; }
    [JsonPropertyName("ramp_up"), Description("Ramp up (in seconds) in the peak load mode.")] public int? RampUp { get; init; }
    [JsonPropertyName("peak_load_kpis"), Description("Expected KPI.")] public StageKpiItems? PeakLoadKpis { get; init; }
    [JsonPropertyName("step_duration"), Description("Single-step duration in the intelligent peak load mode.")] public int? StepDuration { get; init; }
    [JsonPropertyName("step_size"), Description("Concurrency increase in the intelligent peak load mode.")] public int? StepSize { get; init; }
}

/// <summary>Expected KPIs of a phase.</summary>
public sealed record StageKpiItems
{
    [JsonPropertyName("average_response_time")] public StageKpiItem? AverageResponseTime { get; init; }
    [JsonPropertyName("success_rate")] public StageKpiItem? SuccessRate { get; init; }
}

public sealed record StageKpiItem
{
    [JsonPropertyName("comparison"), Description("One of < <= > >= = == !=.")] public string? Comparison { get; init; }
    [JsonPropertyName("value"), Description("Comparison value.")] public long? Value { get; init; }
}

/// <summary>One card of a case or transaction script.</summary>
public sealed record Contents
{
    [JsonPropertyName("content_id"), Description("Transaction id (tempId of create_temp); 0 when the card is not a transaction.")]
    public long? ContentId { get; init; }

    [JsonPropertyName("content"), Description("Content.")] public IReadOnlyList<Content>? Content { get; init; }
    [JsonPropertyName("index"), Description("Sorting index.")] public int? Index { get; init; }
    [JsonPropertyName("selected_temp_name"), Description("Name of the selected transaction or case.")] public string? SelectedTempName { get; init; }
    [JsonPropertyName("data"), Description("Data the loop and condition controllers apply to.")] public JsonObject? Data { get; init; }

    [JsonPropertyName("data_type"), Description("0: request card; 1: data instruction; 201: loop; 202: condition; 203: VU percentage; "
        + "204: throughput; 301: rendezvous point; 302: plug-in request.")]
    public int? DataType { get; init; }

    [JsonPropertyName("conditions"), Description("The condition, when data_type is 202.")] public JsonObject? Conditions { get; init; }
    [JsonPropertyName("is_disabled"), Description("Whether the card is disabled.")] public bool? IsDisabled { get; init; }
}

public sealed record Content
{
    [JsonPropertyName("content_type"), Description("1: think time; 2: packet; 3: checkpoint; 4: variable extraction.")]
    public int? ContentType { get; init; }

    [JsonPropertyName("content"), Description("Content.")] public ContentInfo? Info { get; init; }
}

/// <summary>A request (packet) or other card body.</summary>
public sealed record ContentInfo
{
    [JsonPropertyName("body_type"), Description("0: string; 1: form-data; 3: x-www-form-urlencoded.")] public int? BodyType { get; init; }
    [JsonPropertyName("bodys"), Description("Request body.")] public IReadOnlyList<JsonObject>? Bodys { get; init; }
    [JsonPropertyName("check_end_length"), Description("Length of the data returned through TCP/UDP.")] public JsonNode? CheckEndLength { get; init; }
    [JsonPropertyName("check_end_str"), Description("End character returned through TCP/UDP.")] public JsonNode? CheckEndStr { get; init; }
    [JsonPropertyName("check_end_type"), Description("1: data length; 2: end character (TCP/UDP).")] public JsonNode? CheckEndType { get; init; }
    [JsonPropertyName("connect_timeout"), Description("Timeout duration.")] public int? ConnectTimeout { get; init; }
    [JsonPropertyName("connect_type"), Description("Connection settings; not used.")] public int? ConnectType { get; init; }
    [JsonPropertyName("headers"), Description("Request headers.")] public IReadOnlyList<ContentHeader>? Headers { get; init; }
    [JsonPropertyName("http_version"), Description("HTTP version.")] public string? HttpVersion { get; init; }
    [JsonPropertyName("method"), Description("HTTP method.")] public string? Method { get; init; }
    [JsonPropertyName("name"), Description("Name.")] public string? Name { get; init; }

    [JsonPropertyName("protocol_type"), Description("1: HTTP; 2: HTTPS; 3: TCP; 4: UDP; 7: HLS/RTMP; 9: WebSocket; 10: HTTP-FLV; 11: MQTT.")]
    public int? ProtocolType { get; init; }

    [JsonPropertyName("return_timeout"), Description("Response timeout.")] public int? ReturnTimeout { get; init; }
    [JsonPropertyName("return_timeout_param"), Description("Response timeout parameter.")] public string? ReturnTimeoutParam { get; init; }
    [JsonPropertyName("url"), Description("Request URL.")] public string? Url { get; init; }
    [JsonPropertyName("rtmp_url"), Description("RTMP address.")] public string? RtmpUrl { get; init; }
    [JsonPropertyName("flv_url"), Description("FLV address.")] public string? FlvUrl { get; init; }
    [JsonPropertyName("bitrate_type"), Description("Resolution policy.")] public int? BitrateType { get; init; }
    [JsonPropertyName("duration"), Description("Duration.")] public int? Duration { get; init; }
    [JsonPropertyName("retry_delay"), Description("HLS retry delay.")] public int? RetryDelay { get; init; }
    [JsonPropertyName("retry_time"), Description("HLS retries.")] public int? RetryTime { get; init; }
}

public sealed record ContentHeader
{
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
}

/// <summary>Text case information.</summary>
public sealed record CaseDoc
{
    [JsonPropertyName("description"), Description("Case description.")] public string? Description { get; init; }
    [JsonPropertyName("label_names"), Description("Tags.")] public IReadOnlyList<string>? LabelNames { get; init; }
    [JsonPropertyName("preparation"), Description("Preparations.")] public string? Preparation { get; init; }
    [JsonPropertyName("rank"), Description("Case level 0-4 (L0-L4).")] public int? Rank { get; init; }
    [JsonPropertyName("status_code"), Description("0: new; 5: designing; 6: testing; 7: completed.")] public int? StatusCode { get; init; }
    [JsonPropertyName("steps"), Description("Procedure.")] public IReadOnlyList<CaseDocStep>? Steps { get; init; }
}

public sealed record CaseDocStep
{
    [JsonPropertyName("expect_result"), Description("Expected result.")] public string? ExpectResult { get; init; }
    [JsonPropertyName("test_step"), Description("Step description.")] public string? TestStep { get; init; }
}

/// <summary>create_case (old edition): a case in a task. Other CaseInfoDetail members sent along are stored too.</summary>
public sealed record CreateCaseRequest
{
    [JsonPropertyName("name"), Description("Case name, at most 128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("type"), Description("0: common case; 1: video stream case; 2: preset case.")] public required int Type { get; init; }
    [JsonPropertyName("task_id"), Description("Task the case belongs to.")] public required long TaskId { get; init; }
}

public sealed record CreateCaseResponse : SuccessBody
{
    [JsonPropertyName("json")] public required CreateCaseResultJson Json { get; init; }
}

public sealed record CreateCaseResultJson
{
    [JsonPropertyName("task_case_id"), Description("The new case's id.")] public long TaskCaseId { get; init; }
}

public sealed record CreateNewCaseResponse : SuccessBody
{
    [JsonPropertyName("json")] public required CreateNewCaseResultJson Json { get; init; }
}

public sealed record CreateNewCaseResultJson
{
    [JsonPropertyName("test_case_id"), Description("The new case's id.")] public long TestCaseId { get; init; }
}

public sealed record ShowCaseResponse : SuccessBody
{
    [JsonPropertyName("test_case")] public required CaseInfoDetail TestCase { get; init; }
}
