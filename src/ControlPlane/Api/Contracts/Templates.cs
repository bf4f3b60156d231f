using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Transactions, called templates in the paths (API reference 4.5). Members not listed are stored
// and returned in temp_info.

/// <summary>Body of create_temp; update_temp adds the id and makes temp_type optional.</summary>
public sealed record CreateTemplateRequest
{
    [JsonPropertyName("project_id"), Description("PerfTest project (test_suite_id) the transaction belongs to.")] public required long ProjectId { get; init; }
    [JsonPropertyName("temp_type"), Description("Transaction type (deprecated), a non-negative integer.")] public required int TempType { get; init; }
    [JsonPropertyName("name"), Description("Transaction name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("description"), Description("Description, at most 2048 characters.")] public string? Description { get; init; }
    [JsonPropertyName("contents"), Description("Transaction script.")] public IReadOnlyList<Contents>? Contents { get; init; }
    [JsonPropertyName("for_loop_params"), Description("Logic controller field of the old edition; not used.")] public IReadOnlyList<JsonObject>? ForLoopParams { get; init; }
    [JsonPropertyName("enable_pre"), Description("Whether the preset transaction is enabled; not used.")] public bool? EnablePre { get; init; }
}

public sealed record UpdateTemplateRequest
{
    [JsonPropertyName("id"), Description("Transaction id; must equal the template_id of the path.")] public required long Id { get; init; }
    [JsonPropertyName("project_id"), Description("The transaction's PerfTest project.")] public required long ProjectId { get; init; }
    [JsonPropertyName("name"), Description("Transaction name, 1-128 characters.")] public required string Name { get; init; }
    [JsonPropertyName("temp_type"), Description("Transaction type (deprecated).")] public int? TempType { get; init; }
    [JsonPropertyName("description"), Description("Description, at most 2048 characters.")] public string? Description { get; init; }
    [JsonPropertyName("for_loop_params"), Description("Logic controller field of the old edition; not used.")] public IReadOnlyList<JsonObject>? ForLoopParams { get; init; }
    [JsonPropertyName("enable_pre"), Description("Whether the preset transaction is enabled; not used.")] public bool? EnablePre { get; init; }
    [JsonPropertyName("contents"), Description("Transaction script (TempContentInfo in the reference).")] public IReadOnlyList<Contents>? Contents { get; init; }
}

/// <summary>create_temp answers the id as tempId (the documented camelCase name).</summary>
public sealed record CreateTemplateResponse : SuccessBody
{
    [JsonPropertyName("tempId"), Description("The new transaction's id.")] public long TempId { get; init; }
}

public sealed record ListTemplatesResponse : SuccessBody
{
    [JsonPropertyName("temps")] public required IReadOnlyList<TempDetailInfo> Temps { get; init; }
}

/// <summary>One transaction of show_temp_set.</summary>
public sealed record TempDetailInfo
{
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("id"), Description("Transaction id (tempId).")] public long Id { get; init; }
    [JsonPropertyName("is_quoted"), Description("Reference status.")] public bool IsQuoted { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("temp_type"), Description("Transaction type (deprecated).")] public int TempType { get; init; }
    [JsonPropertyName("update_time"), Description("Update time.")] public required string UpdateTime { get; init; }
}

public sealed record ShowTemplateResponse : SuccessBody
{
    [JsonPropertyName("temp_info")] public required TempInfo TempInfo { get; init; }
}

/// <summary>The transaction of show_temp: what was stored over these defaults.</summary>
public sealed record TempInfo
{
    [JsonPropertyName("id"), Description("Transaction id (tempId).")] public long Id { get; init; }
    [JsonPropertyName("project_id"), Description("PerfTest project.")] public long ProjectId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("variables"), Description("Variables (null).")] public JsonNode? Variables { get; init; }
    [JsonPropertyName("contents"), Description("Transaction script.")] public required IReadOnlyList<Contents> Contents { get; init; }
    [JsonPropertyName("temp_type"), Description("Transaction type (deprecated).")] public int? TempType { get; init; }
    [JsonPropertyName("for_loop_params"), Description("Logic controller field of the old edition; not used.")] public IReadOnlyList<JsonObject>? ForLoopParams { get; init; }
    [JsonPropertyName("logic_controller"), Description("Logic controller information.")] public LogicController? LogicController { get; init; }
    [JsonPropertyName("enable_pre"), Description("Whether the preset transaction is enabled; not used.")] public bool? EnablePre { get; init; }
}

public sealed record LogicController
{
    [JsonPropertyName("for_loop_params"), Description("Old-edition logic controller field; not used.")] public JsonNode? ForLoopParams { get; init; }
    [JsonPropertyName("condition"), Description("Logic controller condition.")] public JsonNode? Condition { get; init; }
}
