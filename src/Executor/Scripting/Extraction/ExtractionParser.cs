using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting.Extraction;

/// <summary>
/// Reads an extraction card (content_type 4): <c>{"extractions": [{"name", "source", "expression",
/// "group", "default"}]}</c>, docs/scripts.md. Unknown fields are ignored.
/// </summary>
public static class ExtractionParser
{
    private static readonly ValueSource[] Sources = [ValueSource.Body, ValueSource.Header, ValueSource.JsonPath, ValueSource.Status];

    /// <param name="info">The extraction card's <c>content</c> object.</param>
    /// <param name="path">The path of the card's <c>content</c> object, e.g. contents[0].content[1].content.</param>
    public static IReadOnlyList<Extractor> Parse(JsonObject info, string path)
    {
        if (info["extractions"] is not JsonArray { Count: > 0 } extractions)
        {
            throw new ScriptException($"{path}.extractions is required: a non-empty array of extractions");
        }
        var parsed = new List<Extractor>();
        for (var i = 0; i < extractions.Count; i++)
        {
            var itemPath = $"{path}.extractions[{i}]";
            parsed.Add(ParseOne(extractions[i] as JsonObject ?? throw new ScriptException($"{itemPath} is not an object"), itemPath));
        }
        return parsed;
    }

    private static Extractor ParseOne(JsonObject item, string path)
    {
        var name = ScriptJson.Text(item, "name");
        if (name is null || !TextTemplate.IsName(name))
        {
            throw new ScriptException($"{path}.name '{name}' is not a variable name (one or more of A-Z a-z 0-9 _ - .)");
        }
        var source = ValueSources.Parse(ScriptJson.Text(item, "source"), path + ".source", Sources);
        var expression = ScriptJson.Text(item, "expression");
        var defaultValue = ScriptJson.Text(item, "default");
        switch (source)
        {
            case ValueSource.Body:
                var regex = ScriptRegex.Create(expression, path + ".expression");
                var numbers = regex.GetGroupNumbers();
                var group = item["group"] is null ? (numbers.Contains(1) ? 1 : 0) : ScriptJson.Int(item, "group");
                if (!numbers.Contains(group))
                {
                    throw new ScriptException($"{path}.group {group} is not a group of expression '{expression}' (it has 0..{numbers.Max()})");
                }
                return new Extractor(name, source, "", null, regex, group, defaultValue);
            case ValueSource.Header when string.IsNullOrEmpty(expression):
                throw new ScriptException($"{path}.expression is required for source header: the header name");
            case ValueSource.JsonPath:
                return new Extractor(name, source, "", ValueSources.ParsePath(expression, path + ".expression"), null, 0, defaultValue);
            default:
                return new Extractor(name, source, expression ?? "", null, null, 0, defaultValue);
        }
    }
}
