using System.Globalization;
using System.Text.Json;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>
/// A JSON path of the simple kind checks and extractions use: <c>$</c> then any of <c>.name</c>,
/// <c>['name']</c> (or double quotes) and <c>[index]</c>, e.g. <c>$.data.items[0].id</c>. No wildcards or filters.
/// </summary>
public sealed class JsonPath
{
    private readonly (string? Name, int Index)[] _steps;

    private JsonPath(string text, (string? Name, int Index)[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses a path; <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string text, out JsonPath? path, out string error)
    {
        path = null;
        error = "";
        if (!text.StartsWith('$'))
        {
            error = "does not start with $";
            return false;
        }
        var steps = new List<(string?, int)>();
        var i = 1;
        while (i < text.Length)
        {
            if (!TryStep(text, ref i, steps, out error))
            {
                return false;
            }
        }
        path = new JsonPath(text, [.. steps]);
        return true;
    }

    private static bool TryStep(string text, ref int i, List<(string?, int)> steps, out string error)
    {
        error = "";
        if (text[i] == '.')
        {
            var end = text.IndexOfAny(['.', '['], i + 1);
            end = end < 0 ? text.Length : end;
            if (end == i + 1)
            {
                error = $"has an empty name at {i}";
                return false;
            }
            steps.Add((text[(i + 1)..end], -1));
            i = end;
            return true;
        }
        var close = text.IndexOf(']', i);
        if (text[i] != '[' || close < 0)
        {
            error = $"has '{text[i]}' at {i} where . or [ was expected";
            return false;
        }
        var inside = text[(i + 1)..close];
        if (inside.Length >= 2 && inside[0] is '\'' or '"' && inside[^1] == inside[0])
        {
            steps.Add((inside[1..^1], -1));
        }
        else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            steps.Add((null, index));
        }
        else
        {
            error = $"has [{inside}] at {i}, neither an index nor a quoted name";
            return false;
        }
        i = close + 1;
        return true;
    }

    /// <summary>The element the path leads to; false when a step finds no such property or index.</summary>
    public bool TryEvaluate(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var (name, index) in _steps)
        {
            if (name is not null)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[index];
            }
        }
        return true;
    }

    /// <summary>A string as its text, anything else (number, true, null, object...) as its JSON.</summary>
    public static string ToText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
