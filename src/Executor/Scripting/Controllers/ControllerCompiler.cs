using System.Text.Json.Nodes;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// Wraps a block's compiled cards in the controller its <c>data_type</c> names. The API documents the
/// data types but not the shape of <c>data</c> and <c>conditions</c>; ours is in docs/scripts.md:
/// <list type="bullet">
/// <item>1 data instruction: <c>data.variables</c> [{name, value}]</item>
/// <item>201 loop: <c>data.loop_count</c>, or <c>conditions</c> (while) with <c>data.max_loops</c></item>
/// <item>202 condition: <c>conditions</c>, else cards in <c>data.else_content</c></item>
/// <item>203 VU percentage: <c>data.percentage</c> 0-100</item>
/// <item>204 throughput: <c>data.tps</c>, runs per second over the whole run</item>
/// <item>301 rendezvous: <c>data.users</c>, <c>data.timeout</c> ms (default 10,000)</item>
/// </list>
/// Counts that are totals of the run (tps, users) are split over the executors so the shares add up.
/// </summary>
public static class ControllerCompiler
{
    /// <summary>The variable names a data instruction sets, so later cards may reference them.</summary>
    public static IReadOnlyList<(string Name, TextTemplate Value)> Assignments(JsonObject block, string path)
    {
        var data = block["data"] as JsonObject;
        if (data?["variables"] is not JsonArray { Count: > 0 } list)
        {
            throw new ScriptException($"{path}.data.variables is required for data_type 1: a non-empty array of {{name, value}}");
        }
        var assignments = new List<(string, TextTemplate)>();
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i] as JsonObject ?? throw new ScriptException($"{path}.data.variables[{i}] is not an object");
            var name = ScriptJson.Text(item, "name");
            if (name is null || !TextTemplate.IsName(name))
            {
                throw new ScriptException($"{path}.data.variables[{i}].name '{name}' is not a variable name (letters, digits, _ - .)");
            }
            assignments.Add((name, TextTemplate.Parse(ScriptJson.Text(item, "value") ?? "")));
        }
        return assignments;
    }

    /// <param name="dataType">The block's data_type: 1 (data instruction), 201-204 or 301.</param>
    /// <param name="block">The block, with its <c>data</c> and <c>conditions</c>.</param>
    /// <param name="path">The block's path, for messages.</param>
    /// <param name="cards">The block's cards, compiled: what the controller runs.</param>
    /// <param name="share">This executor's place in the run: throughput and rendezvous counts are run totals.</param>
    /// <param name="compileCards">Compiles a list of cards (for the else branch).</param>
    /// <param name="assignments">The variables a data instruction (data_type 1) sets; null for the other types.</param>
    public static ICard Wrap(int dataType, JsonObject block, string path, IReadOnlyList<ICard> cards, StageShare share,
        Func<JsonArray, string, IReadOnlyList<ICard>> compileCards, IReadOnlyList<(string Name, TextTemplate Value)>? assignments)
    {
        var data = block["data"] as JsonObject ?? [];
        switch (dataType)
        {
            case 1:
                return new DataInstructionCard(assignments!, cards);
            case 201:
                var hasCondition = block["conditions"] is JsonObject;
                return hasCondition
                    ? new LoopController(cards, Positive(data, "max_loops", path, LoopController.DefaultMaxLoops), VuCondition.Parse(block["conditions"], path + ".conditions"))
                    : new LoopController(cards, Positive(data, "loop_count", path, null), null);
            case 202:
                var otherwise = data["else_content"] is JsonArray e ? compileCards(e, path + ".data.else_content") : [];
                return new ConditionController(VuCondition.Parse(block["conditions"], path + ".conditions"), cards, otherwise);
            case 203:
                var percentage = Positive(data, "percentage", path, null, allowZero: true);
                return percentage <= 100 ? new VuPercentageController(cards, percentage)
                    : throw new ScriptException($"{path}.data.percentage {percentage} is more than 100");
            case 204:
                return new ThroughputController(cards, (int)share.Of(Positive(data, "tps", path, null)), TimeProvider.System);
            case 301:
                var users = (int)Math.Max(1, share.Of(Positive(data, "users", path, null)));
                var timeout = TimeSpan.FromMilliseconds(Positive(data, "timeout", path, 10_000));
                return new RendezvousController(cards, users, timeout);
            case 302:
                throw new ScriptException($"{path}.data_type 302 (plug-in request) is not supported by this service");
            default:
                throw new ScriptException($"{path}.data_type {dataType} is not one of 0, 1, 201, 202, 203, 204, 301");
        }
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

/// <summary>This executor's place in the run, to split run totals (a controller's tps or users) over executors.</summary>
public readonly record struct StageShare(int Index, int Count)
{
    public static StageShare Alone { get; } = new(0, 1);

    public long Of(long total) => Share.Of(total, Index, Math.Max(1, Count));
}
