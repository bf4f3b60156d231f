using System.Text.RegularExpressions;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Extraction;

/// <summary>
/// One extraction of an extraction card: a value of the response stored in a VU variable. Source body
/// takes the regex's <see cref="Group"/> of its first match; header, json_path and status take the whole
/// value. With no value, <see cref="Default"/> is stored; with no default either, the extraction fails.
/// </summary>
public sealed class Extractor(string name, ValueSource source, string key, JsonPath? path, Regex? regex, int group, string? defaultValue)
{
    public string Name { get; } = name;
    public ValueSource Source { get; } = source;
    public int Group { get; } = group;
    public string? Default { get; } = defaultValue;

    /// <summary>The extracted value (or the default); null when the extraction failed.</summary>
    public string? Extract(ResponseView response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (regex is null)
        {
            return response.Value(Source, key, path) ?? Default;
        }
        var match = regex.Match(response.Body);
        return match.Success && match.Groups[Group].Success ? match.Groups[Group].Value : Default;
    }
}
