using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Planning;

/// <summary>
/// Reads checkpoint cards (content_type 3: <c>{"logic", "checks": [{"source", "key", "operator", "value"}]}</c>),
/// extraction cards (content_type 4: <c>{"extractions": [{"name", "source", "expression", "group", "default"}]}</c>)
/// and controller conditions (<c>{"logic", "items": [{"source": "variable"|"status", "key", "operator", "value"}]}</c>),
/// docs/scripts.md. Regular expressions and JSON paths are checked here, so a bad one is refused when the case is saved.
/// </summary>
internal static class RuleReader
{
    private static readonly (string Name, CompareOperator Operator)[] Operators =
    [
        ("equals", CompareOperator.Equals), ("not_equals", CompareOperator.NotEquals), ("contains", CompareOperator.Contains),
        ("not_contains", CompareOperator.NotContains), ("matches", CompareOperator.Matches), ("less", CompareOperator.Less),
        ("less_or_equal", CompareOperator.LessOrEqual), ("greater", CompareOperator.Greater),
        ("greater_or_equal", CompareOperator.GreaterOrEqual), ("exists", CompareOperator.Exists), ("not_exists", CompareOperator.NotExists),
    ];

    private static readonly (string Name, ValueSource Source)[] Sources =
        [("status", ValueSource.Status), ("body", ValueSource.Body), ("header", ValueSource.Header), ("json_path", ValueSource.JsonPath)];

    private static readonly ValueSource[] CheckSources = [ValueSource.Status, ValueSource.Body, ValueSource.Header, ValueSource.JsonPath];
    private static readonly ValueSource[] ExtractionSources = [ValueSource.Body, ValueSource.Header, ValueSource.JsonPath, ValueSource.Status];

    /// <param name="info">The card's content.</param>
    /// <param name="path">The path of the card's <c>content</c> object, e.g. contents[0].content[1].content.</param>
    public static Checkpoint Checkpoint(JsonObject info, string path)
    {
        var checkpoint = new Checkpoint { Path = path, Any = Any(info, path) };
        foreach (var (item, itemPath) in Items(info, "checks", path, "checks"))
        {
            var source = Source(CaseJson.Text(item, "source"), itemPath + ".source", CheckSources);
            var key = CaseJson.Text(item, "key");
            if (source == ValueSource.JsonPath)
            {
                ValueSources.ParsePath(key, itemPath + ".key");
            }
            if (source == ValueSource.Header && string.IsNullOrEmpty(key))
            {
                throw new ScriptException($"{itemPath}.key is required for source header: the header name");
            }
            checkpoint.Checks.Add(new Check { Source = source, Key = key ?? "", Comparison = Comparison(item, itemPath) });
        }
        return checkpoint;
    }

    /// <param name="info">The card's content.</param>
    /// <param name="path">The path of the card's <c>content</c> object.</param>
    public static List<Extraction> Extractions(JsonObject info, string path)
    {
        if (info["extractions"] is not JsonArray { Count: > 0 } extractions)
        {
            throw new ScriptException($"{path}.extractions is required: a non-empty array of extractions");
        }
        var read = new List<Extraction>();
        for (var i = 0; i < extractions.Count; i++)
        {
            var itemPath = $"{path}.extractions[{i}]";
            read.Add(Extraction(extractions[i] as JsonObject ?? throw new ScriptException($"{itemPath} is not an object"), itemPath));
        }
        return read;
    }

    private static Extraction Extraction(JsonObject item, string path)
    {
        var name = CaseJson.Text(item, "name");
        if (name is null || !Scripting.Templating.TextTemplate.IsName(name))
        {
            throw new ScriptException($"{path}.name '{name}' is not a variable name (one or more of A-Z a-z 0-9 _ - .)");
        }
        var extraction = new Extraction
        {
            Path = path, Name = name, Source = Source(CaseJson.Text(item, "source"), path + ".source", ExtractionSources),
            Expression = CaseJson.Text(item, "expression") ?? "",
        };
        var expression = CaseJson.Text(item, "expression");
        switch (extraction.Source)
        {
            case ValueSource.Body:
                var numbers = ScriptRegex.Create(expression, path + ".expression").GetGroupNumbers();
                var group = item["group"] is null ? (numbers.Contains(1) ? 1 : 0) : CaseJson.Int(item, "group");
                if (!numbers.Contains(group))
                {
                    throw new ScriptException($"{path}.group {group} is not a group of expression '{expression}' (it has 0..{numbers.Max()})");
                }
                extraction.Group = group;
                break;
            case ValueSource.Header when string.IsNullOrEmpty(expression):
                throw new ScriptException($"{path}.expression is required for source header: the header name");
            case ValueSource.JsonPath:
                ValueSources.ParsePath(expression, path + ".expression");
                break;
        }
        if (CaseJson.Text(item, "default") is { } fallback)
        {
            extraction.DefaultValue = fallback;
        }
        return extraction;
    }

    /// <summary>A controller's condition (<c>conditions</c> of data_type 201 and 202).</summary>
    public static VuCondition Condition(JsonNode? node, string path)
    {
        if (node is not JsonObject owner)
        {
            throw new ScriptException($"{path} is required: an object with logic and items");
        }
        var condition = new VuCondition { Any = Any(owner, path) };
        foreach (var (item, itemPath) in Items(owner, "items", path, "comparisons"))
        {
            var source = CaseJson.Text(item, "source") ?? "variable";
            if (source is not ("variable" or "status"))
            {
                throw new ScriptException($"{itemPath}.source '{source}' is not one of variable, status");
            }
            var key = CaseJson.Text(item, "key") ?? "";
            if (source == "variable" && key.Length == 0)
            {
                throw new ScriptException($"{itemPath}.key is required for source variable: the variable's name");
            }
            condition.Items.Add(new VuComparison { OnStatus = source == "status", Key = key, Comparison = Comparison(item, itemPath) });
        }
        return condition;
    }

    /// <summary>Reads <c>operator</c> and <c>value</c> of an item; errors name the field under <paramref name="path"/>.</summary>
    private static Comparison Comparison(JsonObject item, string path)
    {
        var text = CaseJson.Text(item, "operator");
        var op = Operators.FirstOrDefault(o => o.Name == text);
        if (op.Name is null)
        {
            throw new ScriptException($"{path}.operator '{text}' is not one of {string.Join(", ", Operators.Select(o => o.Name))}");
        }
        var value = CaseJson.Text(item, "value");
        if (value is null && op.Operator is not (CompareOperator.Exists or CompareOperator.NotExists))
        {
            throw new ScriptException($"{path}.value is required for operator {op.Name}");
        }
        if (op.Operator is CompareOperator.Less or CompareOperator.LessOrEqual or CompareOperator.Greater or CompareOperator.GreaterOrEqual
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new ScriptException($"{path}.value '{value}' is not a number, which operator {op.Name} needs");
        }
        if (op.Operator == CompareOperator.Matches)
        {
            ScriptRegex.Create(value, path + ".value");
        }
        return new Comparison { Operator = op.Operator, Value = value ?? "" };
    }

    /// <summary>The logic of a list of comparisons: "and" (default) or "or"; true for "or".</summary>
    private static bool Any(JsonObject owner, string path) => (CaseJson.Text(owner, "logic") ?? "and") switch
    {
        "and" => false,
        "or" => true,
        var logic => throw new ScriptException($"{path}.logic '{logic}' is not one of and, or"),
    };

    /// <summary>The non-empty array of item objects of <paramref name="member"/>, with each item's path.</summary>
    private static IEnumerable<(JsonObject Item, string Path)> Items(JsonObject owner, string member, string path, string what)
    {
        if (owner[member] is not JsonArray { Count: > 0 } items)
        {
            throw new ScriptException($"{path}.{member} is required: a non-empty array of {what}");
        }
        for (var i = 0; i < items.Count; i++)
        {
            yield return (items[i] as JsonObject ?? throw new ScriptException($"{path}.{member}[{i}] is not an object"), $"{path}.{member}[{i}]");
        }
    }

    private static ValueSource Source(string? text, string path, ValueSource[] allowed)
    {
        var ok = allowed.Select(a => Sources.First(n => n.Source == a)).ToList();
        return ok.FirstOrDefault(n => n.Name == text) is { Name: not null } found ? found.Source
            : throw new ScriptException($"{path} '{text}' is not one of {string.Join(", ", ok.Select(n => n.Name))}");
    }
}
