using System.Text.RegularExpressions;
using PerfTest.Executor.Contract;
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

    /// <summary>An extraction of the plan (read and checked by Planning.RuleReader).</summary>
    public static Extractor From(Contract.Extraction extraction)
    {
        ArgumentNullException.ThrowIfNull(extraction);
        var defaultValue = extraction.HasDefaultValue ? extraction.DefaultValue : null;
        return extraction.Source switch
        {
            ValueSource.Body => new Extractor(extraction.Name, extraction.Source, "", null,
                ScriptRegex.Create(extraction.Expression, extraction.Path + ".expression"), extraction.Group, defaultValue),
            ValueSource.JsonPath => new Extractor(extraction.Name, extraction.Source, "",
                ValueSources.ParsePath(extraction.Expression, extraction.Path + ".expression"), null, 0, defaultValue),
            _ => new Extractor(extraction.Name, extraction.Source, extraction.Expression, null, null, 0, defaultValue),
        };
    }

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
