using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting.Checks;

/// <summary>
/// Reads a checkpoint card (content_type 3): <c>{"logic": "and"|"or", "checks": [{"source", "key",
/// "operator", "value"}]}</c>, docs/scripts.md. Unknown fields are ignored.
/// </summary>
public static class CheckpointParser
{
    private static readonly ValueSource[] Sources = [ValueSource.Status, ValueSource.Body, ValueSource.Header, ValueSource.JsonPath];

    /// <param name="info">The checkpoint card's <c>content</c> object.</param>
    /// <param name="path">The path of the card's <c>content</c> object, e.g. contents[0].content[1].content.</param>
    public static Checkpoint Parse(JsonObject info, string path)
    {
        var any = Comparison.ParseAny(info, path);
        var checks = Comparison.Items(info, "checks", path, "checks").Select(c => ParseCheck(c.Item, c.Path)).ToList();
        return new Checkpoint(any, checks);
    }

    private static Check ParseCheck(JsonObject check, string path)
    {
        var source = ValueSources.Parse(ScriptJson.Text(check, "source"), path + ".source", Sources);
        var key = ScriptJson.Text(check, "key");
        var jsonPath = source == ValueSource.JsonPath ? ValueSources.ParsePath(key, path + ".key") : null;
        if (source == ValueSource.Header && string.IsNullOrEmpty(key))
        {
            throw new ScriptException($"{path}.key is required for source header: the header name");
        }
        return new Check(source, key ?? "", jsonPath, Comparison.Parse(check, path));
    }
}
