using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfTest.ControlPlane.Api;

/// <summary>
/// Typed, named access to the members of a JSON object from a request. Every failure is a
/// 400 that names the member by its full path (for example <c>stages[0].pressure_mode</c>),
/// so a client can see at once what to fix. JSON null counts as absent.
/// </summary>
public readonly struct Fields(JsonObject obj, string path)
{
    public JsonObject Json { get; } = obj;
    public string Path { get; } = path;

    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public bool Has(string name) => Json[name] is not null;

    public JsonNode? Node(string name) => Json[name];

    public string RequiredString(string name, int maxLength, bool allowEmpty = false) =>
        OptionalString(name, maxLength, allowEmpty) ?? throw Missing(name);

    public string? OptionalString(string name, int maxLength, bool allowEmpty = true)
    {
        var node = Json[name];
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw WrongType(name, "a string", node);
        }
        var value = node.GetValue<string>();
        if (!allowEmpty && value.Trim().Length == 0)
        {
            throw ApiException.BadRequest($"{PathOf(name)} must not be empty");
        }
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold NUL, and no name or description needs one.
            throw ApiException.BadRequest($"{PathOf(name)} must not contain NUL (\\u0000) characters");
        }
        if (value.Length > maxLength)
        {
            throw ApiException.BadRequest($"{PathOf(name)} is {value.Length} characters long; at most {maxLength} are allowed");
        }
        return value;
    }

    public long RequiredLong(string name, long min = 0, long max = long.MaxValue) =>
        OptionalLong(name, min, max) ?? throw Missing(name);

    public long? OptionalLong(string name, long min = 0, long max = long.MaxValue)
    {
        var node = Json[name];
        if (node is null)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long value))
        {
            throw WrongType(name, "an integer", node);
        }
        if (value < min || value > max)
        {
            throw ApiException.BadRequest(max == long.MaxValue
                ? $"{PathOf(name)} is {value}; it must be at least {min}"
                : $"{PathOf(name)} is {value}; it must be between {min} and {max}");
        }
        return value;
    }

    public int RequiredInt(string name, int min, int max) => OptionalInt(name, min, max) ?? throw Missing(name);

    public int? OptionalInt(string name, int min, int max) => (int?)OptionalLong(name, min, max);

    /// <summary>An integer that must be one of the documented values (an enum).</summary>
    public int? OptionalEnum(string name, params int[] allowed)
    {
        var node = Json[name];
        if (node is null)
        {
            return null;
        }
        var value = OptionalLong(name, long.MinValue);
        if (value is null || Array.IndexOf(allowed, (int)value) < 0 || value > int.MaxValue || value < int.MinValue)
        {
            throw ApiException.BadRequest($"{PathOf(name)} is {node.ToJsonString()}; it must be one of {string.Join(", ", allowed)}");
        }
        return (int)value;
    }

    public int RequiredEnum(string name, params int[] allowed) => OptionalEnum(name, allowed) ?? throw Missing(name);

    public bool RequiredBool(string name) => OptionalBool(name) ?? throw Missing(name);

    public bool? OptionalBool(string name)
    {
        var node = Json[name];
        if (node is null)
        {
            return null;
        }
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "true or false", node),
        };
    }

    public JsonArray RequiredArray(string name) => OptionalArray(name) ?? throw Missing(name);

    public JsonArray? OptionalArray(string name)
    {
        var node = Json[name];
        return node switch
        {
            null => null,
            JsonArray array => array,
            _ => throw WrongType(name, "an array", node),
        };
    }

    public JsonObject? OptionalObject(string name)
    {
        var node = Json[name];
        return node switch
        {
            null => null,
            JsonObject o => o,
            _ => throw WrongType(name, "an object", node),
        };
    }

    /// <summary>Each element of an array member that must hold objects, with its own path.</summary>
    public IEnumerable<Fields> Objects(string name)
    {
        var array = OptionalArray(name);
        if (array is null)
        {
            yield break;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            var itemPath = $"{PathOf(name)}[{i}]";
            if (item is not JsonObject o)
            {
                throw ApiException.BadRequest($"{itemPath} must be an object, not {Kind(item)}");
            }
            yield return new Fields(o, itemPath);
        }
    }

    /// <summary>The integers of an array member, each checked to be a non-negative id.</summary>
    public List<long> Ids(string name, bool required)
    {
        var array = required ? RequiredArray(name) : OptionalArray(name);
        var ids = new List<long>();
        if (array is null)
        {
            return ids;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (item is null || item.GetValueKind() != JsonValueKind.Number || !item.AsValue().TryGetValue(out long id) || id < 0)
            {
                throw ApiException.BadRequest($"{PathOf(name)}[{i}] must be a non-negative integer id, not {Kind(item)} {item?.ToJsonString()}");
            }
            ids.Add(id);
        }
        return ids;
    }

    private ApiException Missing(string name) => ApiException.BadRequest($"{PathOf(name)} is required");

    private ApiException WrongType(string name, string expected, JsonNode node) =>
        ApiException.BadRequest($"{PathOf(name)} must be {expected}, not {Kind(node)} {Truncate(node.ToJsonString())}");

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
