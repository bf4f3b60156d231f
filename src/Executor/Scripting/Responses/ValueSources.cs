namespace PerfTest.Executor.Scripting.Responses;

/// <summary>The JSON paths of checks and extractions (source json_path).</summary>
public static class ValueSources
{
    /// <summary>A JSON path field, parsed, or a ScriptException naming it.</summary>
    public static JsonPath ParsePath(string? text, string path)
    {
        if (text is null)
        {
            throw new ScriptException($"{path} is required for source json_path");
        }
        return JsonPath.TryParse(text, out var parsed, out var error) ? parsed! : throw new ScriptException($"{path} '{text}' {error}");
    }
}
