using System.Text.Json.Nodes;

namespace PerfTest.Executor.Scripting;

/// <summary>Reading the loosely typed fields of a stored script: numbers may come as text and text as numbers.</summary>
internal static class ScriptJson
{
    /// <summary>A string field as is, any other value as its JSON text; null when absent or null.</summary>
    public static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : o[name] is JsonValue n ? n.ToJsonString() : null;

    public static int Int(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out int x) ? x : 0;

    /// <summary>A card's timeout in ms (connect_timeout, return_timeout); absent or not positive means 5 s.</summary>
    public static TimeSpan Millis(JsonObject o, string name) =>
        TimeSpan.FromMilliseconds(o[name] is JsonValue v && v.TryGetValue(out long ms) && ms > 0 ? ms : 5000);
}
