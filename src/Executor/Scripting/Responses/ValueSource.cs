namespace PerfTest.Executor.Scripting.Responses;

/// <summary>Where a check or an extraction reads the response.</summary>
public enum ValueSource
{
    /// <summary>The status code, as text ("200").</summary>
    Status,

    /// <summary>The whole body, decoded as UTF-8.</summary>
    Body,

    /// <summary>The first header of a name (case-insensitive).</summary>
    Header,

    /// <summary>The value a JSON path leads to in the body.</summary>
    JsonPath,
}

/// <summary>The script names of <see cref="ValueSource"/> and the parsing shared by checks and extractions.</summary>
public static class ValueSources
{
    private static readonly (string Name, ValueSource Source)[] Names =
        [("status", ValueSource.Status), ("body", ValueSource.Body), ("header", ValueSource.Header), ("json_path", ValueSource.JsonPath)];

    /// <summary>The source a field names; <paramref name="path"/> names the field in the error.</summary>
    public static ValueSource Parse(string? text, string path, IEnumerable<ValueSource> allowed)
    {
        var ok = allowed.Select(a => Names.First(n => n.Source == a)).ToList();
        foreach (var (name, source) in ok)
        {
            if (name == text)
            {
                return source;
            }
        }
        throw new ScriptException($"{path} '{text}' is not one of {string.Join(", ", ok.Select(n => n.Name))}");
    }

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
