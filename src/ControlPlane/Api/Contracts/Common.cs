using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PerfTest.ControlPlane.Api.Contracts;

// The records in this folder only describe the API in the OpenAPI document. The handlers read and
// write JSON nodes directly (to keep unknown members and report precise errors), so nothing here is
// ever serialized or bound: changing a record changes the document, never the wire format.

/// <summary>The body of every 4xx/5xx answer (seed 003); only error_code and error_msg are sent today.</summary>
public sealed record ErrorBody
{
    [JsonPropertyName("error_code"), Description("Error code, e.g. CPTS.04000002 (docs/errors.md).")]
    public required string ErrorCode { get; init; }

    [JsonPropertyName("error_msg"), Description("What went wrong, naming the offending member.")]
    public required string ErrorMsg { get; init; }

    [JsonPropertyName("detail"), Description("Error details.")]
    public string? Detail { get; init; }

    [JsonPropertyName("params"), Description("Error parameters.")]
    public IReadOnlyList<string>? Params { get; init; }

    [JsonPropertyName("reason"), Description("Error cause.")]
    public string? Reason { get; init; }

    [JsonPropertyName("advice"), Description("Suggestion.")]
    public string? Advice { get; init; }
}

/// <summary>The success envelope every JSON answer starts with; the response records below extend it.</summary>
public record SuccessBody
{
    [JsonPropertyName("code"), Description("SVCSTG.CPTS.0000000 on success.")]
    public string Code { get; init; } = ErrorCodes.Success;

    [JsonPropertyName("message"), Description("\"success\".")]
    public string Message { get; init; } = "success";
}
