using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Case directories of a PerfTest project (API reference 4.7 and the SDK's directory operations).

/// <summary>Body of create_directory. parent_id is our extension; the SDK sends only name.</summary>
public sealed record CreateDirectoryRequest
{
    [JsonPropertyName("name"), Description("Directory name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("parent_id"), Description("Directory of the same project to nest under (default 0: top level).")] public long? ParentId { get; init; }
}

/// <summary>Body of update_directory: a rename.</summary>
public sealed record UpdateDirectoryRequest
{
    [JsonPropertyName("name"), Description("New directory name, 1-128 characters.")] public required string Name { get; init; }
}

public sealed record CreateDirectoryResponse : SuccessBody
{
    [JsonPropertyName("directory_id"), Description("The new directory's id.")] public long DirectoryId { get; init; }
}

/// <summary>The case tree, flat: directories and cases, each naming its parent.</summary>
public sealed record ListProjectTestCaseResponse : SuccessBody
{
    [JsonPropertyName("directory")] public required IReadOnlyList<ProjectDirectory> Directory { get; init; }
}

public sealed record ProjectDirectory
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("status"), Description("0: deleted; 1: enabled; 2: disabled.")] public int Status { get; init; }
    [JsonPropertyName("create_time"), Description("Creation time.")] public required string CreateTime { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
    [JsonPropertyName("parent_id"), Description("Parent directory id (0: top level).")] public long ParentId { get; init; }
    [JsonPropertyName("type"), Description("1: directory; 2: case.")] public int Type { get; init; }
}
