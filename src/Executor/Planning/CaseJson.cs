using System.Text.Json.Nodes;

namespace PerfTest.Executor.Planning;

/// <summary>Reading the loosely typed fields of a stored case: numbers may come as text and text as numbers.</summary>
internal static class CaseJson
{
    /// <summary>A string field as is, any other value as its JSON text; null when absent or null.</summary>
    public static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : o[name] is JsonValue n ? n.ToJsonString() : null;

    /// <summary>An integer field; 0 when absent or not an integer.</summary>
    public static int Int(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out int x) ? x : 0;

    /// <summary>An integer field, null when absent or not an integer.</summary>
    public static long? Long(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out long x) ? x : null;

    public static bool Bool(JsonObject o, string name, bool fallback) =>
        o[name] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    /// <summary>A card's timeout in ms as stored (connect_timeout, return_timeout); 0 when absent or not positive.</summary>
    public static long Millis(JsonObject o, string name) => Long(o, name) is > 0 and var ms ? ms : 0;
}
