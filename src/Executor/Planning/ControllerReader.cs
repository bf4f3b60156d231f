using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Planning;

/// <summary>
/// Reads the controller a block's <c>data_type</c> names. The API documents the data types but not the
/// shape of <c>data</c> and <c>conditions</c>; ours is in docs/scripts.md:
/// <list type="bullet">
/// <item>1 data instruction: <c>data.variables</c> [{name, value}]</item>
/// <item>201 loop: <c>data.loop_count</c>, or <c>conditions</c> (while) with <c>data.max_loops</c></item>
/// <item>202 condition: <c>conditions</c>, else cards in <c>data.else_content</c></item>
/// <item>203 VU percentage: <c>data.percentage</c> 0-100</item>
/// <item>204 throughput: <c>data.tps</c>, runs per second over the whole run</item>
/// <item>301 rendezvous: <c>data.users</c>, <c>data.timeout</c> ms (default 10,000)</item>
/// </list>
/// Counts of the whole run (tps, users) stay whole: each executor takes its share when it compiles the plan.
/// </summary>
internal static class ControllerReader
{
    /// <param name="dataType">The block's data_type.</param>
    /// <param name="block">The block, for its data and conditions.</param>
    /// <param name="path">The block's path, for messages.</param>
    /// <param name="readCards">Reads a list of cards (the else branch's).</param>
    public static Controller Read(int dataType, JsonObject block, string path, Func<JsonArray, List<Step>> readCards)
    {
        var data = block["data"] as JsonObject ?? [];
        var controller = new Controller();
        switch (dataType)
        {
            case 1:
                controller.DataInstruction = DataInstruction(data, path);
                break;
            case 201:
                controller.Loop = block["conditions"] is JsonObject
                    ? new Loop { While = RuleReader.Condition(block["conditions"], path + ".conditions"), MaxLoops = Positive(data, "max_loops", path, Scripting.Controllers.LoopController.DefaultMaxLoops) }
                    : new Loop { Count = Positive(data, "loop_count", path, null) };
                break;
            case 202:
                var condition = new IfElse { Condition = RuleReader.Condition(block["conditions"], path + ".conditions"), ElsePath = path + ".data.else_content" };
                condition.ElseSteps.AddRange(data["else_content"] is JsonArray e ? readCards(e) : []);
                controller.Condition = condition;
                break;
            case 203:
                var percentage = Positive(data, "percentage", path, null, allowZero: true);
                controller.VuPercentage = percentage <= 100 ? new VuPercentage { Percentage = percentage }
                    : throw new ScriptException($"{path}.data.percentage {percentage} is more than 100");
                break;
            case 204:
                controller.Throughput = new Throughput { TotalTps = Positive(data, "tps", path, null) };
                break;
            case 301:
                controller.Rendezvous = new Rendezvous { TotalUsers = Positive(data, "users", path, null), TimeoutMs = Positive(data, "timeout", path, 10_000) };
                break;
            case 302:
                throw new ScriptException($"{path}.data_type 302 (plug-in request) is not supported by this service");
            default:
                throw new ScriptException($"{path}.data_type {dataType} is not one of 0, 1, 201, 202, 203, 204, 301");
        }
        return controller;
    }

    private static DataInstruction DataInstruction(JsonObject data, string path)
    {
        if (data["variables"] is not JsonArray { Count: > 0 } list)
        {
            throw new ScriptException($"{path}.data.variables is required for data_type 1: a non-empty array of {{name, value}}");
        }
        var instruction = new DataInstruction();
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i] as JsonObject ?? throw new ScriptException($"{path}.data.variables[{i}] is not an object");
            var name = CaseJson.Text(item, "name");
            if (name is null || !TextTemplate.IsName(name))
            {
                throw new ScriptException($"{path}.data.variables[{i}].name '{name}' is not a variable name (letters, digits, _ - .)");
            }
            instruction.Assignments.Add(new Assignment { Name = name, Value = CaseJson.Text(item, "value") ?? "" });
        }
        return instruction;
    }

    private static int Positive(JsonObject data, string name, string path, int? fallback, bool allowZero = false)
    {
        if (data[name] is null && fallback is { } value)
        {
            return value;
        }
        if (data[name] is JsonValue v && v.TryGetValue(out int n) && (n > 0 || (allowZero && n == 0)))
        {
            return n;
        }
        throw new ScriptException($"{path}.data.{name} is required: a {(allowZero ? "non-negative" : "positive")} integer, not {data[name]?.ToJsonString() ?? "nothing"}");
    }
}
