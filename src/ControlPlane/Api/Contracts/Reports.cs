using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Reports (4.6.1, 4.6.2) and the SDK's v2 report reads. Times are ISO 8601 with offset; response times
// are in milliseconds; bytes are per second where the name says average. A case run's "requests" are
// its request cards; detail ids are "<case_run_id>-<key>", key -1 being the whole case.

public sealed record ShowReportResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public string? Extend { get; init; }
    [JsonPropertyName("result"), Description("The report of the case run.")] public required ReportInfo Result { get; init; }
}

public sealed record ReportInfo
{
    [JsonPropertyName("brokens"), Description("Curves of the whole case, at most brokens_limit_count points each.")] public required ReportBrokens Brokens { get; init; }
    [JsonPropertyName("details"), Description("Tables: the case and each of its requests.")] public required ReportDetails Details { get; init; }
    [JsonPropertyName("outline"), Description("Overview of the case run.")] public required ReportOutline Outline { get; init; }
    [JsonPropertyName("rtproportion"), Description("Response time distribution (null; see respTimeRange).")] public string? Rtproportion { get; init; }
    [JsonPropertyName("taskInfo")] public required ReportTaskInfo TaskInfo { get; init; }

    [JsonPropertyName("respTimeRange"), Description("Response time ranges (0~50ms, 50~200ms, ..., >5s), each \"<percent>%(<count>)\".")]
    public required IReadOnlyDictionary<string, string> RespTimeRange { get; init; }
}

/// <summary>Per-second curves from the first to the last second of the run, downsampled to the requested number of points.</summary>
public sealed record ReportBrokens
{
    [JsonPropertyName("brand_brokens"), Description("Bandwidth curves.")] public required BrandBrokens BrandBrokens { get; init; }
    [JsonPropertyName("commonTimestamps"), Description("Time of each point, \"yyyy-MM-dd HH:mm:ss\" (UTC).")] public required IReadOnlyList<string> CommonTimestamps { get; init; }
    [JsonPropertyName("respcode_brokens"), Description("Requests per second by outcome.")] public required RespcodeBrokens RespcodeBrokens { get; init; }
    [JsonPropertyName("tps_brokens"), Description("TPS and average response time.")] public required TpsBrokens TpsBrokens { get; init; }
    [JsonPropertyName("vusers_brokens"), Description("Virtual users.")] public required VusersBrokens VusersBrokens { get; init; }

    [JsonPropertyName("rtmp_brokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Streaming traffic curves; only when the request (or case) played streams.")]
    public RtmpBrokens? RtmpBrokens { get; init; }

    [JsonPropertyName("streaming_error_brokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Failed plays per stage; only when the request (or case) played streams.")]
    public StreamingErrorBrokens? StreamingErrorBrokens { get; init; }
}

public sealed record BrandBrokens
{
    [JsonPropertyName("recBytes"), Description("Bytes received per second.")] public required IReadOnlyList<double> RecBytes { get; init; }
    [JsonPropertyName("sentBytes"), Description("Bytes sent per second.")] public required IReadOnlyList<double> SentBytes { get; init; }
}

public sealed record RespcodeBrokens
{
    [JsonPropertyName("checkPointFailed"), Description("Checkpoint (assertion) failures.")] public required IReadOnlyList<double> CheckPointFailed { get; init; }
    [JsonPropertyName("error"), Description("Failed requests, all causes.")] public required IReadOnlyList<double> Error { get; init; }
    [JsonPropertyName("othersFailed"), Description("Other failures.")] public required IReadOnlyList<double> OthersFailed { get; init; }
    [JsonPropertyName("parsedFailed"), Description("Parsing failures.")] public required IReadOnlyList<double> ParsedFailed { get; init; }
    [JsonPropertyName("refusedFailed"), Description("Connections refused.")] public required IReadOnlyList<double> RefusedFailed { get; init; }
    [JsonPropertyName("success"), Description("Successful requests.")] public required IReadOnlyList<double> Success { get; init; }
    [JsonPropertyName("timeout"), Description("Timeouts.")] public required IReadOnlyList<double> Timeout { get; init; }
}

public sealed record TpsBrokens
{
    [JsonPropertyName("average"), Description("Average response time (ms).")] public required IReadOnlyList<double> Average { get; init; }
    [JsonPropertyName("tps"), Description("Requests per second.")] public required IReadOnlyList<double> Tps { get; init; }
}

public sealed record VusersBrokens
{
    [JsonPropertyName("vusers"), Description("Virtual users (all executors together).")] public required IReadOnlyList<double> Vusers { get; init; }
}

public sealed record ReportDetails
{
    [JsonPropertyName("data"), Description("Table data: one entry, the case run.")] public required IReadOnlyList<ReportDetailItem> Data { get; init; }
    [JsonPropertyName("pageIndex"), Description("Page number (1).")] public int PageIndex { get; init; }
    [JsonPropertyName("pageSize"), Description("Page size (1).")] public int PageSize { get; init; }
    [JsonPropertyName("total"), Description("Total records (1).")] public int Total { get; init; }
}

public sealed record ReportDetailItem
{
    [JsonPropertyName("customTransactions"), Description("Custom transaction data (empty).")] public required IReadOnlyList<string> CustomTransactions { get; init; }
    [JsonPropertyName("detailDatas"), Description("One entry per request of the case (isAW true).")] public required IReadOnlyList<CaseReportDetail> DetailDatas { get; init; }
    [JsonPropertyName("performance"), Description("The whole case (isAW false).")] public required CaseReportDetail Performance { get; init; }
}

/// <summary>The performance figures of a case run or of one of its requests (DetailDataInfo / PerformanceInfo).</summary>
public sealed record CaseReportDetail
{
    [JsonPropertyName("averageRespTime"), Description("Average response time (ms).")] public double AverageRespTime { get; init; }
    [JsonPropertyName("avgNetworkTraffic"), Description("Average bandwidth, bytes sent and received per second.")] public double AvgNetworkTraffic { get; init; }
    [JsonPropertyName("avgRecBytes"), Description("Average bytes received per second.")] public double AvgRecBytes { get; init; }
    [JsonPropertyName("avgSentBytes"), Description("Average bytes sent per second.")] public double AvgSentBytes { get; init; }
    [JsonPropertyName("avgTranRespTime"), Description("Average transaction response time (0).")] public double AvgTranRespTime { get; init; }
    [JsonPropertyName("caseUri"), Description("Case id.")] public required string CaseUri { get; init; }
    [JsonPropertyName("createTime"), Description("Start time of the task run.")] public required string CreateTime { get; init; }
    [JsonPropertyName("currentThreadNum"), Description("Maximum concurrency (virtual users).")] public int CurrentThreadNum { get; init; }
    [JsonPropertyName("detailId"), Description("Detail id, \"<case_run_id>-<key>\" (key -1: the case).")] public required string DetailId { get; init; }
    [JsonPropertyName("endTime"), Description("End time of the case run (null while it runs).")] public string? EndTime { get; init; }
    [JsonPropertyName("errorCount"), Description("Failed requests.")] public long ErrorCount { get; init; }
    [JsonPropertyName("failedAssert"), Description("Checkpoint (assertion) failures.")] public long FailedAssert { get; init; }
    [JsonPropertyName("failedOthers"), Description("Other failures.")] public long FailedOthers { get; init; }
    [JsonPropertyName("failedParsed"), Description("Parsing failures.")] public long FailedParsed { get; init; }
    [JsonPropertyName("failedRefused"), Description("Connections refused.")] public long FailedRefused { get; init; }
    [JsonPropertyName("failedTimeout"), Description("Timeouts.")] public long FailedTimeout { get; init; }
    [JsonPropertyName("id"), Description("The detail id again.")] public required string Id { get; init; }
    [JsonPropertyName("isAW"), Description("true: a request of the case; false: the case.")] public bool IsAW { get; init; }
    [JsonPropertyName("max"), Description("Maximum response time (ms).")] public double Max { get; init; }
    [JsonPropertyName("maxNetworkTraffic"), Description("Peak bytes sent and received in one second.")] public long MaxNetworkTraffic { get; init; }
    [JsonPropertyName("maxRecBytes"), Description("Peak bytes received in one second.")] public long MaxRecBytes { get; init; }
    [JsonPropertyName("maxRespTime"), Description("Maximum response time (ms).")] public double MaxRespTime { get; init; }
    [JsonPropertyName("maxSentBytes"), Description("Peak bytes sent in one second.")] public long MaxSentBytes { get; init; }
    [JsonPropertyName("maxTranRespTime"), Description("Maximum transaction response time (0).")] public double MaxTranRespTime { get; init; }
    [JsonPropertyName("min"), Description("Minimum response time (ms).")] public double Min { get; init; }
    [JsonPropertyName("minNetworkTraffic"), Description("Lowest bytes sent and received in one second.")] public long MinNetworkTraffic { get; init; }
    [JsonPropertyName("name"), Description("Case or request name.")] public required string Name { get; init; }
    [JsonPropertyName("requests"), Description("Requests sent.")] public long Requests { get; init; }
    [JsonPropertyName("result"), Description("1: the case run stopped abnormally; 0 otherwise.")] public int Result { get; init; }
    [JsonPropertyName("startTime"), Description("Start time of the case run (null while waiting).")] public string? StartTime { get; init; }
    [JsonPropertyName("status"), Description("Case run status: 9 waiting, 0 running, 2 ended, 3 stopped abnormally, 4 stopped by the user, 5 stopping.")] public int Status { get; init; }
    [JsonPropertyName("successCount"), Description("Successful requests.")] public long SuccessCount { get; init; }
    [JsonPropertyName("successRate"), Description("Success rate (percent).")] public double SuccessRate { get; init; }
    [JsonPropertyName("sum1xx"), Description("1xx responses.")] public long Sum1xx { get; init; }
    [JsonPropertyName("sum2xx"), Description("2xx responses.")] public long Sum2xx { get; init; }
    [JsonPropertyName("sum3xx"), Description("3xx responses.")] public long Sum3xx { get; init; }
    [JsonPropertyName("sum4xx"), Description("4xx responses.")] public long Sum4xx { get; init; }
    [JsonPropertyName("sum5xx"), Description("5xx responses.")] public long Sum5xx { get; init; }
    [JsonPropertyName("taskId"), Description("\"<task_id>_<task_run_id>\".")] public required string TaskId { get; init; }
    [JsonPropertyName("taskProjectId"), Description("Task id.")] public required string TaskProjectId { get; init; }
    [JsonPropertyName("taskStatus"), Description("Task run status.")] public int TaskStatus { get; init; }
    [JsonPropertyName("testCaseUri"), Description("Case id.")] public required string TestCaseUri { get; init; }
    [JsonPropertyName("tp50"), Description("50th percentile response time (ms).")] public double Tp50 { get; init; }
    [JsonPropertyName("tp75"), Description("75th percentile response time (ms).")] public double Tp75 { get; init; }
    [JsonPropertyName("tp90"), Description("90th percentile response time (ms).")] public double Tp90 { get; init; }
    [JsonPropertyName("tp95"), Description("95th percentile response time (ms).")] public double Tp95 { get; init; }
    [JsonPropertyName("tp99"), Description("99th percentile response time (ms).")] public double Tp99 { get; init; }
    [JsonPropertyName("tp999"), Description("99.9th percentile response time (ms).")] public double Tp999 { get; init; }
    [JsonPropertyName("tp9999"), Description("99.99th percentile response time (ms).")] public double Tp9999 { get; init; }
    [JsonPropertyName("tps"), Description("Average requests per second.")] public double Tps { get; init; }
    [JsonPropertyName("tranTPS"), Description("Transaction TPS (0).")] public double TranTPS { get; init; }
    [JsonPropertyName("transactionId"), Description("Transaction id (null).")] public string? TransactionId { get; init; }
    [JsonPropertyName("transactionSuccess"), Description("Successful transactions (null).")] public double? TransactionSuccess { get; init; }
    [JsonPropertyName("transactionalSuccessRate"), Description("Transaction success rate (0).")] public double TransactionalSuccessRate { get; init; }
    [JsonPropertyName("transactionalTps"), Description("Custom transaction TPS (0).")] public double TransactionalTps { get; init; }
    [JsonPropertyName("transactionalTpsSuccess"), Description("Custom transaction success TPS (0).")] public double TransactionalTpsSuccess { get; init; }
    [JsonPropertyName("transactions"), Description("Transactions (null).")] public double? Transactions { get; init; }
    [JsonPropertyName("updateTime"), Description("Update time (the end time; null while it runs).")] public string? UpdateTime { get; init; }
    [JsonPropertyName("vum"), Description("Virtual users x minutes.")] public double Vum { get; init; }

    [JsonPropertyName("streamingMediaVo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Streaming figures; only when the request (or case) played streams.")]
    public StreamingMediaReport? StreamingMediaVo { get; init; }
}

/// <summary>Overview of one case run (ReportoutlineInfo).</summary>
public sealed record ReportOutline
{
    [JsonPropertyName("avgResponseTime"), Description("Average response time (ms).")] public double AvgResponseTime { get; init; }
    [JsonPropertyName("branchId"), Description("Branch id (null).")] public string? BranchId { get; init; }
    [JsonPropertyName("branchName"), Description("Branch name (null).")] public string? BranchName { get; init; }
    [JsonPropertyName("caseRetry"), Description("Case retries (0).")] public int CaseRetry { get; init; }
    [JsonPropertyName("completeNum"), Description("1 when the case run has finished, else 0.")] public int CompleteNum { get; init; }
    [JsonPropertyName("duration"), Description("Seconds from the first to the last reported second.")] public int Duration { get; init; }
    [JsonPropertyName("endTime"), Description("End time (null while it runs).")] public string? EndTime { get; init; }
    [JsonPropertyName("executedNum"), Description("Executed cases (1).")] public int ExecutedNum { get; init; }
    [JsonPropertyName("iterationUri"), Description("Iteration id (null).")] public string? IterationUri { get; init; }
    [JsonPropertyName("maxUsers"), Description("Maximum concurrency (virtual users).")] public int MaxUsers { get; init; }
    [JsonPropertyName("passNum"), Description("1 when the case run ended normally, else 0.")] public int PassNum { get; init; }
    [JsonPropertyName("projectId"), Description("PerfTest project id.")] public required string ProjectId { get; init; }
    [JsonPropertyName("serviceId"), Description("Task id.")] public required string ServiceId { get; init; }
    [JsonPropertyName("stage"), Description("How many distinct stages of the case ran (distinct stage indexes of its stored seconds; 0 before any).")] public int Stage { get; init; }
    [JsonPropertyName("stageName"), Description("Stage name (null).")] public string? StageName { get; init; }
    [JsonPropertyName("startTime"), Description("Start time (null while waiting).")] public string? StartTime { get; init; }
    [JsonPropertyName("successRate"), Description("Success rate (percent).")] public double SuccessRate { get; init; }
    [JsonPropertyName("taskStatus"), Description("Task run status.")] public int TaskStatus { get; init; }
    [JsonPropertyName("totalNum"), Description("Total cases (1).")] public int TotalNum { get; init; }
    [JsonPropertyName("tps"), Description("Average requests per second.")] public double Tps { get; init; }
    [JsonPropertyName("versionUri"), Description("Version uri (null).")] public string? VersionUri { get; init; }
}

public sealed record ReportTaskInfo
{
    [JsonPropertyName("vum"), Description("Virtual users x minutes.")] public double Vum { get; init; }
}

public sealed record ShowHistoryRunInfoResponse : SuccessBody
{
    [JsonPropertyName("log_list"), Description("Report list: the task's runs.")] public required IReadOnlyList<HistoryRunInfo> LogList { get; init; }
}

public sealed record HistoryRunInfo
{
    [JsonPropertyName("name"), Description("\"<task name>_<start time>\".")] public required string Name { get; init; }
    [JsonPropertyName("run_id"), Description("Report id (task_run_id).")] public long RunId { get; init; }
    [JsonPropertyName("run_type"), Description("0: old edition task; 1: new edition task.")] public int RunType { get; init; }
    [JsonPropertyName("start_time"), Description("Start time.")] public required string StartTime { get; init; }
    [JsonPropertyName("end_time"), Description("End time (null while it runs).")] public string? EndTime { get; init; }
    [JsonPropertyName("continue_time"), Description("Duration so far (seconds).")] public long ContinueTime { get; init; }
    [JsonPropertyName("temp_names"), Description("Names of the cases run.")] public required IReadOnlyList<TempName> TempNames { get; init; }
    [JsonPropertyName("parallel"), Description("Whether the cases ran in parallel.")] public bool Parallel { get; init; }

    [JsonPropertyName("run_status"), Description("9: waiting; 0: running; 2: ended; 3: stopped abnormally; 4: stopped by the user; 5: stopping.")]
    public int RunStatus { get; init; }
}

public sealed record TempName
{
    [JsonPropertyName("name"), Description("Case name.")] public required string Name { get; init; }
}

public sealed record ShowMergeTaskCaseResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public JsonNode? Extend { get; init; }
    [JsonPropertyName("result")] public required CaseReportSummary Result { get; init; }
}

public sealed record CaseReportSummary
{
    [JsonPropertyName("case_aw_info_list"), Description("The case runs of the task run, with their requests.")] public required IReadOnlyList<CaseAwInfo> CaseAwInfoList { get; init; }
    [JsonPropertyName("err_message"), Description("Error information (null).")] public string? ErrMessage { get; init; }
}

/// <summary>One case run: case_uri_i and testcaseId are its case_run_id; aw[].id are detail ids.</summary>
public sealed record CaseAwInfo
{
    [JsonPropertyName("aw"), Description("The requests of the case.")] public required IReadOnlyList<AwInfo> Aw { get; init; }
    [JsonPropertyName("awList"), Description("The requests of the case, in detail.")] public required IReadOnlyList<DetailItem> AwList { get; init; }
    [JsonPropertyName("caseAwId"), Description("Detail id of the case, \"<case_run_id>--1\".")] public required string CaseAwId { get; init; }
    [JsonPropertyName("caseUri"), Description("Case id.")] public required string CaseUri { get; init; }
    [JsonPropertyName("case_uri_i"), Description("Case run id (the case_run_id of the report reads).")] public required string CaseUriI { get; init; }
    [JsonPropertyName("datumType"), Description("1: case.")] public int DatumType { get; init; }
    [JsonPropertyName("id"), Description("Detail id of the case, \"<case_run_id>--1\".")] public required string Id { get; init; }
    [JsonPropertyName("name"), Description("Case name.")] public required string Name { get; init; }
    [JsonPropertyName("taskExecId"), Description("Case run id.")] public required string TaskExecId { get; init; }
    [JsonPropertyName("taskId"), Description("Task id.")] public required string TaskId { get; init; }
    [JsonPropertyName("testcaseId"), Description("Case run id.")] public required string TestcaseId { get; init; }
    [JsonPropertyName("transactionList"), Description("Transactions (empty).")] public required IReadOnlyList<DetailItem> TransactionList { get; init; }
    [JsonPropertyName("run_status"), Description("Case run status: 9 waiting, 0 running, 2 ended, 3 stopped abnormally, 4 stopped by the user, 5 stopping.")] public int RunStatus { get; init; }
    [JsonPropertyName("error"), Description("Why the case run stopped abnormally (null otherwise).")] public string? Error { get; init; }
}

public sealed record AwInfo
{
    [JsonPropertyName("name"), Description("Request name.")] public required string Name { get; init; }
    [JsonPropertyName("id"), Description("Detail id, \"<case_run_id>-<key>\".")] public required string Id { get; init; }
    [JsonPropertyName("datumType"), Description("2: request (aw).")] public int DatumType { get; init; }
}

public sealed record DetailItem
{
    [JsonPropertyName("caseAwId"), Description("Detail id, \"<case_run_id>-<key>\".")] public required string CaseAwId { get; init; }
    [JsonPropertyName("datumType"), Description("2: request (aw).")] public int DatumType { get; init; }
    [JsonPropertyName("name"), Description("Request name.")] public required string Name { get; init; }
    [JsonPropertyName("transactionId"), Description("Transaction id (null).")] public string? TransactionId { get; init; }
    [JsonPropertyName("awList"), Description("Nested requests (empty).")] public required IReadOnlyList<DetailItem> AwList { get; init; }
}

public sealed record ShowMergeReportLogsOutlineResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public JsonNode? Extend { get; init; }
    [JsonPropertyName("result")] public required ReportOutlineResult Result { get; init; }
}

public sealed record ReportOutlineResult
{
    [JsonPropertyName("err_message"), Description("Error information (null).")] public JsonNode? ErrMessage { get; init; }
    [JsonPropertyName("outline"), Description("Every case run of the task run together.")] public required MergedReportOutline Outline { get; init; }
}

public sealed record MergedReportOutline
{
    [JsonPropertyName("core_index")] public required CoreIndex CoreIndex { get; init; }
    [JsonPropertyName("exception_response_sum")] public required ExceptionResponseSum ExceptionResponseSum { get; init; }
    [JsonPropertyName("network_traffic")] public required NetworkTraffic NetworkTraffic { get; init; }
    [JsonPropertyName("response_code_sum")] public required ResponseCodeSum ResponseCodeSum { get; init; }
    [JsonPropertyName("task_basic_attribute")] public required TaskBasicAttributes TaskBasicAttribute { get; init; }
    [JsonPropertyName("task_basic_execution_data")] public required TaskBasicExecutionData TaskBasicExecutionData { get; init; }
    [JsonPropertyName("response_code_details"), Description("Response code details (empty).")] public required IReadOnlyList<JsonNode> ResponseCodeDetails { get; init; }
    [JsonPropertyName("sla_statistic"), Description("SLA data (null).")] public JsonNode? SlaStatistic { get; init; }
    [JsonPropertyName("streaming_media"), Description("Streaming figures of every case together; null when no case played streams.")] public StreamingMediaReport? StreamingMedia { get; init; }
}

public sealed record CoreIndex
{
    [JsonPropertyName("error_request_count"), Description("Failed requests.")] public long ErrorRequestCount { get; init; }
    [JsonPropertyName("max_rps"), Description("Most requests in one second: per second the requests of every case run added up, then the maximum.")] public long MaxRps { get; init; }
    [JsonPropertyName("max_users"), Description("Most VUs live at once: per second the VUs of every case run added up, then the maximum (cases run one after another do not add).")] public int MaxUsers { get; init; }
    [JsonPropertyName("request_count"), Description("Requests sent.")] public long RequestCount { get; init; }
    [JsonPropertyName("rps"), Description("Average requests per second.")] public double Rps { get; init; }
    [JsonPropertyName("success_count"), Description("Successful requests.")] public long SuccessCount { get; init; }
    [JsonPropertyName("success_rate"), Description("Success rate (whole percent, rounded down).")] public int SuccessRate { get; init; }
    [JsonPropertyName("trans_tps"), Description("Transactions per second: the transactions of every case run over duration; 0 when the run has no transaction.")] public double TransTps { get; init; }
    [JsonPropertyName("response_time")] public required ResponseTimeInfo ResponseTime { get; init; }
}

public sealed record ResponseTimeInfo
{
    [JsonPropertyName("avg_response_time"), Description("Average response time (ms).")] public double AvgResponseTime { get; init; }
    [JsonPropertyName("avg_tp50"), Description("TP50 (ms).")] public long AvgTp50 { get; init; }
    [JsonPropertyName("avg_tp90"), Description("TP90 (ms).")] public long AvgTp90 { get; init; }
    [JsonPropertyName("max_response_time"), Description("Maximum response time (ms).")] public long MaxResponseTime { get; init; }
    [JsonPropertyName("min_response_time"), Description("Minimum response time (ms).")] public long MinResponseTime { get; init; }
}

public sealed record ExceptionResponseSum
{
    [JsonPropertyName("failed_assert"), Description("Checkpoint (assertion) failures.")] public long FailedAssert { get; init; }
    [JsonPropertyName("failed_others"), Description("Other failures.")] public long FailedOthers { get; init; }
    [JsonPropertyName("failed_parsed"), Description("Parsing failures.")] public long FailedParsed { get; init; }
    [JsonPropertyName("failed_refused"), Description("Connections refused.")] public long FailedRefused { get; init; }
    [JsonPropertyName("failed_timeout"), Description("Timeouts.")] public long FailedTimeout { get; init; }
}

public sealed record NetworkTraffic
{
    [JsonPropertyName("avg_network_traffic"), Description("Bytes sent and received by every case run over duration.")] public double AvgNetworkTraffic { get; init; }
    [JsonPropertyName("max_down_stream"), Description("Peak bytes received in one second, every case run added up.")] public long MaxDownStream { get; init; }
    [JsonPropertyName("max_network_traffic"), Description("Peak bytes sent and received in one second, every case run added up.")] public long MaxNetworkTraffic { get; init; }
    [JsonPropertyName("max_upstream"), Description("Peak bytes sent in one second, every case run added up.")] public long MaxUpstream { get; init; }
    [JsonPropertyName("min_network_traffic"), Description("Lowest bytes sent and received in one stored second, every case run added up.")] public long MinNetworkTraffic { get; init; }
}

public sealed record ResponseCodeSum
{
    [JsonPropertyName("sum1xx"), Description("1xx responses.")] public long Sum1xx { get; init; }
    [JsonPropertyName("sum2xx"), Description("2xx responses.")] public long Sum2xx { get; init; }
    [JsonPropertyName("sum3xx"), Description("3xx responses.")] public long Sum3xx { get; init; }
    [JsonPropertyName("sum4xx"), Description("4xx responses.")] public long Sum4xx { get; init; }
    [JsonPropertyName("sum5xx"), Description("5xx responses.")] public long Sum5xx { get; init; }
}

public sealed record TaskBasicAttributes
{
    [JsonPropertyName("project_id"), Description("PerfTest project id.")] public required string ProjectId { get; init; }
    [JsonPropertyName("task_id"), Description("Task id.")] public required string TaskId { get; init; }
    [JsonPropertyName("protocols"), Description("The distinct protocols of the run's request cards, in this order: HTTP, HTTPS, TCP, UDP, WebSocket, MQTT, HLS, RTMP, HTTP-FLV.")] public required IReadOnlyList<string> Protocols { get; init; }
    [JsonPropertyName("stage"), Description("How many stages ran: the distinct stage indexes of each case run's stored seconds, added over the case runs.")] public int Stage { get; init; }
}

public sealed record TaskBasicExecutionData
{
    [JsonPropertyName("complete_num"), Description("Case runs finished.")] public int CompleteNum { get; init; }
    [JsonPropertyName("duration"), Description("Seconds from the first second any case run stored to the last (at least 1).")] public int Duration { get; init; }
    [JsonPropertyName("end_time"), Description("End time of the task run (null while it runs).")] public string? EndTime { get; init; }
    [JsonPropertyName("executed_num"), Description("Case runs started.")] public int ExecutedNum { get; init; }
    [JsonPropertyName("parallel"), Description("Whether the cases ran in parallel.")] public bool Parallel { get; init; }
    [JsonPropertyName("pass_num"), Description("Case runs that ended normally.")] public int PassNum { get; init; }
    [JsonPropertyName("start_time"), Description("Start time of the task run.")] public required string StartTime { get; init; }
    [JsonPropertyName("task_status"), Description("Task run status.")] public int TaskStatus { get; init; }
    [JsonPropertyName("total_num"), Description("Case runs.")] public int TotalNum { get; init; }
    [JsonPropertyName("vum"), Description("Virtual users x minutes (rounded).")] public long Vum { get; init; }
}

public sealed record ShowMergeCaseDetailResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public JsonNode? Extend { get; init; }
    [JsonPropertyName("result")] public required CaseReportDetailResult Result { get; init; }
}

public sealed record CaseReportDetailResult
{
    [JsonPropertyName("detail")] public required ReportDetailItem Detail { get; init; }
    [JsonPropertyName("err_message"), Description("Error information (null).")] public string? ErrMessage { get; init; }
}

public sealed record ShowTaskCaseAwChartResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public JsonNode? Extend { get; init; }
    [JsonPropertyName("result")] public required TaskCaseAwChartResult Result { get; init; }
}

public sealed record TaskCaseAwChartResult
{
    [JsonPropertyName("broken_list"), Description("Every point of the curves of the request (or of the case).")] public required ReportBrokens BrokenList { get; init; }
    [JsonPropertyName("err_message"), Description("Error information (null).")] public string? ErrMessage { get; init; }

    [JsonPropertyName("resp_time_range"), Description("Response time ranges (0~50ms, 50~200ms, ..., >5s), each \"<percent>%(<count>)\".")]
    public required IReadOnlyDictionary<string, string> RespTimeRange { get; init; }
}
