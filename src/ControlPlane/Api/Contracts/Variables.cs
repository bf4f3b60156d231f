using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// Global variables (API reference 4.4). create_variable and update_variable take a JSON array of
// variables; names are unique within a PerfTest project (409 otherwise).

/// <summary>One variable of the create_variable body.</summary>
public sealed record CreateVariableRequestBody
{
    [JsonPropertyName("id"), Description("Ignored: the server assigns ids (documented mandatory, but the documented example omits it).")]
    public long? Id { get; init; }

    [JsonPropertyName("name"), Description("Variable name, 1-128 characters, unique in the project.")] public required string Name { get; init; }
    [JsonPropertyName("variable_type"), Description("1: integer; 2: enumeration; 3: file; 5: text.")] public required int VariableType { get; init; }

    [JsonPropertyName("variable"), Description("Values. Type 1: [from, to], two integers with from <= to; other types: at least one value or row of values.")]
    public required IReadOnlyList<JsonNode> Variable { get; init; }

    [JsonPropertyName("is_quoted"), Description("Reference status.")] public required bool IsQuoted { get; init; }
    [JsonPropertyName("variable_mode"), Description("0: sequential; 1: random.")] public int? VariableMode { get; init; }
    [JsonPropertyName("share_mode"), Description("0: case mode; 1: concurrent mode.")] public int? ShareMode { get; init; }
}

/// <summary>One variable of the update_variable body.</summary>
public sealed record UpdateVariableRequestBody
{
    [JsonPropertyName("id"), Description("Variable id (json.variable_id of create_variable).")] public required long Id { get; init; }
    [JsonPropertyName("name"), Description("Variable name, 1-128 characters, unique in the project.")] public required string Name { get; init; }
    [JsonPropertyName("variable_type"), Description("1: integer; 2: enumeration; 3: file; 5: text.")] public required int VariableType { get; init; }

    [JsonPropertyName("variable"), Description("Values. Type 1: [from, to], two integers with from <= to; other types: at least one value or row of values.")]
    public required IReadOnlyList<JsonNode> Variable { get; init; }

    [JsonPropertyName("is_quoted"), Description("Reference status.")] public bool? IsQuoted { get; init; }
    [JsonPropertyName("variable_mode"), Description("0: sequential; 1: random.")] public int? VariableMode { get; init; }
    [JsonPropertyName("share_mode"), Description("0: case mode; 1: concurrent mode.")] public int? ShareMode { get; init; }
}

public sealed record CreateVariableResponse : SuccessBody
{
    [JsonPropertyName("json")] public required CreateVariableResultJson Json { get; init; }
}

public sealed record CreateVariableResultJson
{
    [JsonPropertyName("variable_id"), Description("Id of the first variable created.")] public long VariableId { get; init; }
    [JsonPropertyName("variable_ids"), Description("Ids of all variables created, in body order.")] public required IReadOnlyList<long> VariableIds { get; init; }
}

public sealed record UpdateVariableResponse : SuccessBody
{
    [JsonPropertyName("json")] public required UpdateVariableResultJson Json { get; init; }
}

public sealed record UpdateVariableResultJson
{
    [JsonPropertyName("variable_id"), Description("Id of the first variable updated.")] public long VariableId { get; init; }
}

public sealed record ListVariablesResponse : SuccessBody
{
    [JsonPropertyName("variable_list")] public required IReadOnlyList<VariableDetail> VariableList { get; init; }
}

/// <summary>One variable of list_variables, with any other members it was created with.</summary>
public sealed record VariableDetail
{
    [JsonPropertyName("file_size"), Description("File size.")] public long FileSize { get; init; }
    [JsonPropertyName("id"), Description("Variable id.")] public long Id { get; init; }
    [JsonPropertyName("is_quoted"), Description("Reference status.")] public bool IsQuoted { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("variable"), Description("Values.")] public required IReadOnlyList<JsonNode> Variable { get; init; }
    [JsonPropertyName("variable_type"), Description("1: integer; 2: enumeration; 3: file; 5: text.")] public int VariableType { get; init; }
    [JsonPropertyName("variable_mode"), Description("0: sequential; 1: random.")] public int VariableMode { get; init; }
    [JsonPropertyName("share_mode"), Description("0: case mode; 1: concurrent mode.")] public int ShareMode { get; init; }
}
