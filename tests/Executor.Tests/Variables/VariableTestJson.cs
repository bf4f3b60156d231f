using System.Text.Json.Nodes;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Tests.Variables;

/// <summary>Builds variable lists as the API holds them.</summary>
internal static class VariableTestJson
{
    public static JsonArray Array(string json) => (JsonArray)JsonNode.Parse(json)!;

    public static string One(string name, int type, string values, int mode = 0, int share = 0) =>
        $$"""{ "id": 1, "name": "{{name}}", "variable_type": {{type}}, "variable": {{values}}, "is_quoted": false, "variable_mode": {{mode}}, "share_mode": {{share}} }""";

    public static GlobalVariables Parse(string json, int executorIndex = 0, int executorCount = 1, VariableCursorRegistry? shared = null) =>
        GlobalVariables.From(VariableReader.ReadAll(Array(json)), executorIndex, executorCount, shared ?? new VariableCursorRegistry());

    public static List<string> Draw(IGlobalVariables variables, string name, int count) =>
        Enumerable.Range(0, count).Select(_ => variables.Next(name)).ToList();
}
