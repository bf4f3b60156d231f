using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// PerfTest projects, also called test suites (API reference 4.1).

/// <summary>Body of create_project; update_project adds the id.</summary>
public record CreateProjectRequest
{
    [JsonPropertyName("name"), Description("Project name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("description"), Description("Description, at most 2048 characters.")] public string? Description { get; init; }
    [JsonPropertyName("source"), Description("0: PerfTest; 2: CloudTest.")] public int? Source { get; init; }

    [JsonPropertyName("variables_no_file"), Description("Variables missing at project import but present in the variable file.")]
    public IReadOnlyList<string>? VariablesNoFile { get; init; }

    [JsonPropertyName("external_params"), Description("Extension parameters.")] public JsonObject? ExternalParams { get; init; }
}

public sealed record UpdateProjectRequest : CreateProjectRequest
{
    [JsonPropertyName("id"), Description("Project id; must equal the test_suite_id of the path.")] public required long Id { get; init; }
}

public sealed record CreateProjectResponse : SuccessBody
{
    [JsonPropertyName("project_id"), Description("The new project's id (the test_suite_id of other operations).")]
    public long ProjectId { get; init; }
}

public sealed record ListProjectsResponse : SuccessBody
{
    [JsonPropertyName("projects")] public required IReadOnlyList<ProjectsSetItem> Projects { get; init; }
}

/// <summary>One project of list_project_sets. Note the documented PascalCase CreateTime/UpdateTime.</summary>
public sealed record ProjectsSetItem
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("variables_no_file")] public required IReadOnlyList<string> VariablesNoFile { get; init; }
    [JsonPropertyName("CreateTime"), Description("Creation time, e.g. 2021-07-12T14:41:51+08:00.")] public required string CreateTime { get; init; }
    [JsonPropertyName("UpdateTime"), Description("Update time.")] public required string UpdateTime { get; init; }
    [JsonPropertyName("source"), Description("0: PerfTest; 2: CloudTest.")] public int Source { get; init; }
    [JsonPropertyName("external_params")] public required JsonObject ExternalParams { get; init; }
}

public sealed record ShowProjectResponse : SuccessBody
{
    [JsonPropertyName("project")] public required ProjectInfo Project { get; init; }
}

/// <summary>The project of show_project.</summary>
public sealed record ProjectInfo
{
    [JsonPropertyName("create_time"), Description("Creation time.")] public required string CreateTime { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("group"), Description("Tenant: the IAM project id of the path.")] public required string Group { get; init; }
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("source"), Description("0: PerfTest; 2: CloudTest.")] public int Source { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
    [JsonPropertyName("variables_no_file")] public required IReadOnlyList<string> VariablesNoFile { get; init; }
    [JsonPropertyName("external_params")] public required JsonObject ExternalParams { get; init; }
}

/// <summary>show_process: projects are never imported here, so the list is empty and process_status is 1.</summary>
public sealed record ShowProcessResponse : SuccessBody
{
    [JsonPropertyName("json")] public required UploadProcessJson Json { get; init; }
    [JsonPropertyName("extend"), Description("Extension information (null).")] public string? Extend { get; init; }
}

public sealed record UploadProcessJson
{
    [JsonPropertyName("details")] public required IReadOnlyList<UploadProcessJsonDetail> Details { get; init; }
    [JsonPropertyName("process_status"), Description("0: being imported; 1: imported.")] public int ProcessStatus { get; init; }
}

public sealed record UploadProcessJsonDetail
{
    [JsonPropertyName("id"), Description("Import progress id.")] public long Id { get; init; }
    [JsonPropertyName("name"), Description("Project name.")] public string? Name { get; init; }
    [JsonPropertyName("status"), Description("0: importing; 1: successful; 2: failed.")] public int Status { get; init; }
    [JsonPropertyName("cause"), Description("Failure cause.")] public string? Cause { get; init; }
}
