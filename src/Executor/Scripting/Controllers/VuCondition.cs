using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Checks;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// The condition of a condition (202) or loop (201) controller, on the VU's own state:
/// <c>{"logic": "and"|"or", "items": [{"source": "variable"|"status", "key": "name", "operator": "...", "value": "..."}]}</c>.
/// "variable" compares the VU's variable <c>key</c> (extracted, set by a data instruction, or global);
/// "status" the status code of its last response. The operators are the checkpoints' (<see cref="Comparison"/>);
/// a variable never set has no value. See docs/scripts.md.
/// </summary>
public sealed class VuCondition(bool any, IReadOnlyList<VuCondition.Item> items) : IVuCondition
{
    public bool IsTrue(VirtualUser vu)
    {
        foreach (var item in items)
        {
            if (item.Holds(vu) == any)
            {
                return any;
            }
        }
        return !any;
    }

    public static VuCondition Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject condition)
        {
            throw new ScriptException($"{path} is required: an object with logic and items");
        }
        var any = Comparison.ParseAny(condition, path);
        return new VuCondition(any, Comparison.Items(condition, "items", path, "comparisons").Select(i => ParseItem(i.Item, i.Path)).ToList());
    }

    private static Item ParseItem(JsonObject item, string path)
    {
        var source = ScriptJson.Text(item, "source") ?? "variable";
        if (source is not ("variable" or "status"))
        {
            throw new ScriptException($"{path}.source '{source}' is not one of variable, status");
        }
        var key = ScriptJson.Text(item, "key") ?? "";
        if (source == "variable" && key.Length == 0)
        {
            throw new ScriptException($"{path}.key is required for source variable: the variable's name");
        }
        return new Item(source == "status", key, Comparison.Parse(item, path));
    }

    /// <summary>One comparison.</summary>
    public sealed record Item(bool OnStatus, string Key, Comparison Comparison)
    {
        public bool Holds(VirtualUser vu) => Comparison.Holds(
            OnStatus ? vu.LastStatus.ToString(CultureInfo.InvariantCulture)
            : vu.Variables.IsDefined(Key) ? vu.Variables.Resolve(Key) : null);
    }
}
