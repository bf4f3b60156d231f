using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Tasks: the old edition (API reference 4.2) and the new edition (v3, seed 002). Members not listed
// are stored with the task and returned in taskInfo.

/// <summary>Body of create_task (old edition).</summary>
public sealed record CreateTaskRequest
{
    [JsonPropertyName("name"), Description("Task name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("project_id"), Description("PerfTest project (test_suite_id) the task belongs to.")] public required long ProjectId { get; init; }
    [JsonPropertyName("temps"), Description("Transaction information.")] public IReadOnlyList<string>? Temps { get; init; }
    [JsonPropertyName("description"), Description("Description (default \"\").")] public string? Description { get; init; }
    [JsonPropertyName("operate_mode"), Description("0: by duration; 1: by count; 2: both (default 2).")] public int? OperateMode { get; init; }
    [JsonPropertyName("bench_concurrent"), Description("Benchmark concurrency (default 100).")] public long? BenchConcurrent { get; init; }
    [JsonPropertyName("parallel"), Description("Whether cases run in parallel (default true).")] public bool? Parallel { get; init; }
}

/// <summary>Body of create_new_task and update_task_related_test_case (new edition, v3).</summary>
public sealed record NewTaskRequest
{
    [JsonPropertyName("name"), Description("Task name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("parallel"), Description("true: cases run in parallel; false: serially.")] public required bool Parallel { get; init; }
    [JsonPropertyName("enable_full_link"), Description("Whether full-link pressure test is supported.")] public bool? EnableFullLink { get; init; }

    [JsonPropertyName("project_id"), Description("PerfTest project (test_suite_id); on update it must be the task's project.")]
    public required long ProjectId { get; init; }

    [JsonPropertyName("operate_mode"), Description("0: by duration; 1: by count; 2: both (fixed at 2 by the console).")]
    public required int OperateMode { get; init; }

    [JsonPropertyName("case_id_list"), Description("Cases of the project to run, each at most once.")]
    public required IReadOnlyList<long> CaseIdList { get; init; }

    [JsonPropertyName("description"), Description("Description (default \"\").")] public string? Description { get; init; }
    [JsonPropertyName("bench_concurrent"), Description("Benchmark concurrency (default 100).")] public long? BenchConcurrent { get; init; }
}

/// <summary>Body of update_task (old edition). Each case_list entry updates that case of the task (merged), by case_id.</summary>
public sealed record UpdateTaskRequest
{
    [JsonPropertyName("id"), Description("Task id; must equal the task_id of the path.")] public required long Id { get; init; }
    [JsonPropertyName("name"), Description("Task name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("description"), Description("Description.")] public string? Description { get; init; }
    [JsonPropertyName("project_id"), Description("The task's PerfTest project.")] public required long ProjectId { get; init; }
    [JsonPropertyName("run_status"), Description("Running status; kept by the server.")] public int? RunStatus { get; init; }
    [JsonPropertyName("run_type"), Description("0: old edition; 1: new edition. Checked, but the task keeps its edition.")] public int? RunType { get; init; }
    [JsonPropertyName("task_run_info"), Description("Task running information; kept by the server.")] public TaskRunInfo? TaskRunInfo { get; init; }
    [JsonPropertyName("case_list"), Description("Cases of this task to update; case_id is mandatory in each.")] public IReadOnlyList<CaseInfoDetail>? CaseList { get; init; }
    [JsonPropertyName("operate_mode"), Description("0: by duration; 1: by count; 2: both.")] public int? OperateMode { get; init; }
    [JsonPropertyName("bench_concurrent"), Description("Benchmark concurrency.")] public long? BenchConcurrent { get; init; }
    [JsonPropertyName("parallel"), Description("Whether cases run in parallel.")] public bool? Parallel { get; init; }

    [JsonPropertyName("related_temp_running_data"), Description("Latest running report; kept by the server.")]
    public IReadOnlyList<RelatedTempRunningData>? RelatedTempRunningData { get; init; }
}

public sealed record CreateTaskResponse : SuccessBody
{
    [JsonPropertyName("task_id"), Description("The new task's id.")] public long TaskId { get; init; }
}

public sealed record ListTasksResponse : SuccessBody
{
    [JsonPropertyName("extend"), Description("Extension information (empty).")] public required IReadOnlyList<string> Extend { get; init; }
    [JsonPropertyName("tasks")] public required IReadOnlyList<TaskSummary> Tasks { get; init; }
}

/// <summary>One task of show_task_set (the contract's "Task" object).</summary>
public sealed record TaskSummary
{
    [JsonPropertyName("bench_concurrent"), Description("Benchmark concurrency.")] public long? BenchConcurrent { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("operate_mode"), Description("Task pressure test mode.")] public int? OperateMode { get; init; }
    [JsonPropertyName("parallel"), Description("Whether cases run in parallel.")] public bool? Parallel { get; init; }
    [JsonPropertyName("task_run_info")] public required TaskRunInfo TaskRunInfo { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
}

public sealed record TaskRunInfo
{
    [JsonPropertyName("id"), Description("Task run id (0: never run).")] public long? Id { get; init; }
    [JsonPropertyName("run_type"), Description("0: old edition task; 1: new edition task.")] public int? RunType { get; init; }
}

/// <summary>show_task, update_task and update_task_related_test_case answer the whole task.</summary>
public sealed record ShowTaskResponse : SuccessBody
{
    [JsonPropertyName("taskInfo"), Description("Task details (documented camelCase name).")] public required TaskInfo TaskInfo { get; init; }
}

public sealed record TaskInfo
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("project_id"), Description("The task's PerfTest project.")] public long ProjectId { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("bench_concurrent"), Description("Benchmark concurrency.")] public long? BenchConcurrent { get; init; }
    [JsonPropertyName("operate_mode"), Description("0: by duration; 1: by count; 2: both.")] public int? OperateMode { get; init; }
    [JsonPropertyName("parallel"), Description("Whether cases run in parallel.")] public bool? Parallel { get; init; }
    [JsonPropertyName("enable_full_link"), Description("Whether full-link pressure test is supported (new edition).")] public bool? EnableFullLink { get; init; }
    [JsonPropertyName("case_list"), Description("The task's cases, in order.")] public required IReadOnlyList<CaseInfoDetail> CaseList { get; init; }

    [JsonPropertyName("run_status"), Description("9: waiting; 0: running; 1: paused; 2: ended; 3: stopped abnormally; "
        + "4: stopped by the user (completed); 5: stopped by the user.")]
    public int RunStatus { get; init; }

    [JsonPropertyName("run_type"), Description("0: old edition task; 1: new edition task.")] public int RunType { get; init; }

    [JsonPropertyName("related_temp_running_data"), Description("Latest running report (empty: tasks are not run here).")]
    public required IReadOnlyList<RelatedTempRunningData> RelatedTempRunningData { get; init; }

    [JsonPropertyName("create_time"), Description("Creation time.")] public required string CreateTime { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
}

public sealed record RelatedTempRunningData
{
    [JsonPropertyName("task_run_info_id"), Description("Running task (report) id.")] public long? TaskRunInfoId { get; init; }
    [JsonPropertyName("related_temp_running_id"), Description("Running case id (case_run_id).")] public long? RelatedTempRunningId { get; init; }
    [JsonPropertyName("temp_id"), Description("Case id.")] public long? TempId { get; init; }
    [JsonPropertyName("temp_name"), Description("Case name.")] public string? TempName { get; init; }
    [JsonPropertyName("content_method_url"), Description("Request name, method and URL.")] public IReadOnlyList<string>? ContentMethodUrl { get; init; }
    [JsonPropertyName("related_temp_running_data")] public IReadOnlyList<TempRunningData>? RelatedTempRunningDataList { get; init; }
}

public sealed record TempRunningData
{
    [JsonPropertyName("content_method_url"), Description("Request name, method and URL.")] public IReadOnlyList<string>? ContentMethodUrl { get; init; }

    [JsonPropertyName("crawler_status"), Description("0: normal response; 1: parsing failed; 2: comparison failed; 3: response timed out.")]
    public int? CrawlerStatus { get; init; }

    [JsonPropertyName("related_temp_running_id"), Description("Running case id (case_run_id).")] public long? RelatedTempRunningId { get; init; }
    [JsonPropertyName("task_run_info_id"), Description("Running task (report) id.")] public long? TaskRunInfoId { get; init; }
    [JsonPropertyName("temp_id"), Description("Case or transaction id.")] public long? TempId { get; init; }
    [JsonPropertyName("temp_name"), Description("Case or transaction name.")] public string? TempName { get; init; }

    [JsonPropertyName("temp_running_status"), Description("9: waiting; 0: running; 2: ended; 3: stopped abnormally; "
        + "4: stopped by the user (completely stopped); 5: stopped by the user (stopping).")]
    public int? TempRunningStatus { get; init; }
}

public sealed record ListTaskCasesResponse : SuccessBody
{
    [JsonPropertyName("test_cases")] public required IReadOnlyList<TestCaseBriefInfo> TestCases { get; init; }
}

/// <summary>A case in list_task_cases; the same shape as a ProjectDirectory entry.</summary>
public sealed record TestCaseBriefInfo
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("status"), Description("0: deleted; 1: enabled; 2: disabled.")] public int Status { get; init; }
    [JsonPropertyName("create_time"), Description("Creation time.")] public required string CreateTime { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
    [JsonPropertyName("parent_id"), Description("Directory id (0: none).")] public long ParentId { get; init; }
    [JsonPropertyName("type"), Description("2: case.")] public int Type { get; init; }
}
