using System.Globalization;
using System.Text.Json.Nodes;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// The condition of a condition (202) or loop (201) controller, on the VU's own state:
/// <c>{"logic": "and"|"or", "items": [{"source": "variable"|"status", "key": "name", "operator": "...", "value": "..."}]}</c>.
/// "variable" compares the VU's variable <c>key</c> (extracted or global); "status" the status code of its
/// last response. Operators: equals, not_equals, contains, not_contains, less, less_or_equal, greater,
/// greater_or_equal, exists, not_exists (numbers compare as numbers). See docs/scripts.md.
/// </summary>
public sealed class VuCondition(bool any, IReadOnlyList<VuCondition.Item> items) : IVuCondition
{
    private static readonly string[] Operators =
        ["equals", "not_equals", "contains", "not_contains", "less", "less_or_equal", "greater", "greater_or_equal", "exists", "not_exists"];

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
        var logic = ScriptJson.Text(condition, "logic") ?? "and";
        if (logic is not ("and" or "or"))
        {
            throw new ScriptException($"{path}.logic '{logic}' is not one of and, or");
        }
        if (condition["items"] is not JsonArray { Count: > 0 } list)
        {
            throw new ScriptException($"{path}.items is required: a non-empty array of comparisons");
        }
        var items = new List<Item>();
        for (var i = 0; i < list.Count; i++)
        {
            items.Add(ParseItem(list[i] as JsonObject ?? throw new ScriptException($"{path}.items[{i}] is not an object"), $"{path}.items[{i}]"));
        }
        return new VuCondition(logic == "or", items);
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
        var op = ScriptJson.Text(item, "operator");
        if (op is null || Array.IndexOf(Operators, op) < 0)
        {
            throw new ScriptException($"{path}.operator '{op}' is not one of {string.Join(", ", Operators)}");
        }
        var value = ScriptJson.Text(item, "value");
        if (value is null && op is not ("exists" or "not_exists"))
        {
            throw new ScriptException($"{path}.value is required for operator {op}");
        }
        if (op is "less" or "less_or_equal" or "greater" or "greater_or_equal" && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new ScriptException($"{path}.value '{value}' is not a number, which operator {op} needs");
        }
        return new Item(source == "status", key, op, value ?? "");
    }

    /// <summary>One comparison.</summary>
    public sealed record Item(bool OnStatus, string Key, string Operator, string Value)
    {
        public bool Holds(VirtualUser vu)
        {
            // A variable not extracted yet (and no global) has no value: only not_exists holds.
            string? actual = OnStatus ? vu.LastStatus.ToString(CultureInfo.InvariantCulture)
                : vu.Variables.IsDefined(Key) ? vu.Variables.Resolve(Key) : null;
            return actual is null ? Operator == "not_exists" : Compare(actual);
        }

        private bool Compare(string actual) => Operator switch
        {
            "equals" => actual == Value,
            "not_equals" => actual != Value,
            "contains" => actual.Contains(Value, StringComparison.Ordinal),
            "not_contains" => !actual.Contains(Value, StringComparison.Ordinal),
            "exists" => true,
            "not_exists" => false,
            _ => double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && Numeric(n),
        };

        private bool Numeric(double actual)
        {
            var value = double.Parse(Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return Operator switch
            {
                "less" => actual < value,
                "less_or_equal" => actual <= value,
                "greater" => actual > value,
                _ => actual >= value,
            };
        }
    }
}
