using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Starting and stopping tasks (4.2.6, seed 000, seed 003) and debugging a case (4.3.4).

/// <summary>Body of update_task_status (4.2.6): start (9) or stop (2) one task.</summary>
public sealed record UpdateTaskStatusRequest
{
    [JsonPropertyName("status"), Description("9: start the task; 2: stop it.")] public required int Status { get; init; }

    [JsonPropertyName("cluster_type"), Description("Resource group type: shared-cluster-internet (shared) or private-cluster (private). "
        + "Required to start (status 9).")]
    public string? ClusterType { get; init; }

    [JsonPropertyName("cluster_id"), Description("Resource group id (ignored for the shared group; at least -1). Required to start (status 9).")]
    public long? ClusterId { get; init; }

    [JsonPropertyName("without_package"), Description("Whether to use pay-per-use billing when the package VUM is insufficient (0 or 1; fixed at 0).")]
    public int? WithoutPackage { get; init; }

    [JsonPropertyName("network_info"), Description("Network information.")] public NetworkInfo? NetworkInfo { get; init; }
    [JsonPropertyName("enterprise_project_id"), Description("Enterprise project id.")] public string? EnterpriseProjectId { get; init; }
}

public sealed record NetworkInfo
{
    [JsonPropertyName("network_type"), Description("Network type (fixed value: internet).")] public string? NetworkType { get; init; }
}

public sealed record UpdateTaskStatusResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public string? Extend { get; init; }
    [JsonPropertyName("result"), Description("Status update result.")] public required UpdateTaskStatusResult Result { get; init; }
}

public sealed record UpdateTaskStatusResult
{
    [JsonPropertyName("task_run_id"), Description("Id of the running task, that is, the report id (of the run started or stopped).")]
    public long TaskRunId { get; init; }
}

/// <summary>
/// Body of batch_update_task_status (seed 000): every task is checked first and none starts when one
/// cannot; the set is stored as a batch that batch_task_action can start or stop again.
/// </summary>
public sealed record BatchUpdateTaskStatusRequest
{
    [JsonPropertyName("type"), Description("0: old edition tasks; 1: new edition tasks.")] public int? Type { get; init; }
    [JsonPropertyName("project_id"), Description("PerfTest project of the tasks; must equal test_suit_id of the path.")] public required long ProjectId { get; init; }
    [JsonPropertyName("task_id_list"), Description("Tasks of the project, at least one, each once.")] public required IReadOnlyList<long> TaskIdList { get; init; }
    [JsonPropertyName("status"), Description("9: start the tasks; 2: stop them (all must be running).")] public required int Status { get; init; }

    [JsonPropertyName("cluster_type"), Description("Resource group type: shared-cluster-internet (shared) or private-cluster (private).")]
    public required string ClusterType { get; init; }

    [JsonPropertyName("cluster_id"), Description("Resource group id (ignored for the shared group; at least -1).")] public required long ClusterId { get; init; }

    [JsonPropertyName("without_package"), Description("Whether to use pay-per-use billing when the package VUM is insufficient (0 or 1; fixed at 0).")]
    public int? WithoutPackage { get; init; }

    [JsonPropertyName("network_info"), Description("Network information.")] public NetworkInfo? NetworkInfo { get; init; }
    [JsonPropertyName("enterprise_project_id"), Description("Enterprise project id.")] public string? EnterpriseProjectId { get; init; }
}

public sealed record BatchUpdateTaskStatusResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information: the id of the stored batch.")] public required BatchExtend Extend { get; init; }
    [JsonPropertyName("result"), Description("One entry per task of task_id_list, in order.")] public required IReadOnlyList<BatchTaskResult> Result { get; init; }
}

public sealed record BatchExtend
{
    [JsonPropertyName("batch_id"), Description("Batch id (32 hexadecimal characters), the {id} of batch_task_action.")]
    public required string BatchId { get; init; }
}

public sealed record BatchTaskResult
{
    [JsonPropertyName("task_id"), Description("Task id.")] public long TaskId { get; init; }
    [JsonPropertyName("task_run_id"), Description("Report id (id of the task run started or stopped).")] public long TaskRunId { get; init; }
}

/// <summary>
/// Answer of batch_task_action (seed 003): each task of the batch succeeds or fails on its own.
/// It has no code/message envelope.
/// </summary>
public sealed record BatchTaskActionResponse
{
    [JsonPropertyName("total_count"), Description("Tasks in the batch.")] public int TotalCount { get; init; }
    [JsonPropertyName("failed_count"), Description("Tasks that could not be started or stopped.")] public int FailedCount { get; init; }
    [JsonPropertyName("succeed_count"), Description("Tasks started or stopped.")] public int SucceedCount { get; init; }
    [JsonPropertyName("id"), Description("The batch id of the path.")] public required string Id { get; init; }
    [JsonPropertyName("error_list"), Description("Why each failed task failed: \"task <id>: <message>\".")] public required IReadOnlyList<string> ErrorList { get; init; }
}

/// <summary>Body of debug_case (4.3.4).</summary>
public sealed record DebugCaseRequest
{
    [JsonPropertyName("status"), Description("9: start debugging (the only value).")] public required int Status { get; init; }

    [JsonPropertyName("cluster_type"), Description("Resource group type: shared-cluster-internet (shared) or private-cluster (private).")]
    public required string ClusterType { get; init; }

    [JsonPropertyName("cluster_id"), Description("Resource group id (ignored for the shared group; at least -1).")] public required long ClusterId { get; init; }

    [JsonPropertyName("without_package"), Description("Whether to use pay-per-use billing when the package VUM is insufficient (0 or 1; fixed at 0).")]
    public required int WithoutPackage { get; init; }

    [JsonPropertyName("type"), Description("0: transaction (default); 1: case.")] public int? Type { get; init; }
}

public sealed record DebugCaseResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (null).")] public string? Extend { get; init; }
    [JsonPropertyName("result"), Description("One entry per request of the case (setup first), in order.")] public required IReadOnlyList<DebugCaseResult> Result { get; init; }
}

/// <summary>One request of the case, sent once; bodies are cut at 64 KiB characters.</summary>
public sealed record DebugCaseResult
{
    [JsonPropertyName("body"), Description("Request body sent.")] public required string Body { get; init; }
    [JsonPropertyName("errorReason"), Description("Why the request failed (\"\" on success).")] public required string ErrorReason { get; init; }
    [JsonPropertyName("header"), Description("Request headers sent, by header name (Host first).")] public required IReadOnlyDictionary<string, string> Header { get; init; }
    [JsonPropertyName("name"), Description("Request name.")] public required string Name { get; init; }
    [JsonPropertyName("responseTime"), Description("Response time (ms).")] public long ResponseTime { get; init; }
    [JsonPropertyName("result"), Description("1: success; 0: failure.")] public int Result { get; init; }
    [JsonPropertyName("returnBody"), Description("Response body.")] public required string ReturnBody { get; init; }

    [JsonPropertyName("returnHeader"), Description("Response headers, by header name (repeated headers joined with \", \").")]
    public required IReadOnlyDictionary<string, string> ReturnHeader { get; init; }

    [JsonPropertyName("statusCode"), Description("Response status code and reason, e.g. \"200 OK\" (\"\" without a response).")] public required string StatusCode { get; init; }
    [JsonPropertyName("url"), Description("Request method and URL.")] public required string Url { get; init; }
}
