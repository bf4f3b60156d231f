using System.Globalization;

namespace PerfTest.ControlPlane.Api;

/// <summary>Path and query values: ids are non-negative integers, pages are offset/limit.</summary>
public static class RequestValues
{
    public static long Id(string? raw, string name)
    {
        if (string.IsNullOrEmpty(raw))
        {
            throw ApiException.BadRequest($"{name} is required");
        }
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ApiException.BadRequest(raw.StartsWith('-')
                ? $"{name} is {Shorten(raw)}; it must not be negative"
                : $"{name} is {Shorten(raw)}; it must be a non-negative integer");
        }
        return id;
    }

    public static long QueryId(HttpRequest request, string name) => Id(request.Query[name].ToString(), name);

    public static Page Page(HttpRequest request)
    {
        var offset = OptionalInt(request, "offset") ?? 0;
        var limit = OptionalInt(request, "limit");
        if (limit > Limits.MaxPageSize)
        {
            throw ApiException.BadRequest($"limit is {limit}; at most {Limits.MaxPageSize} records are returned per page");
        }
        return new Page(offset, limit ?? Limits.MaxPageSize);
    }

    private static int? OptionalInt(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw ApiException.BadRequest($"{name} is {Shorten(raw)}; it must be a non-negative integer");
        }
        return value;
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? $"'{raw}'" : $"'{raw[..40]}...'";
}

/// <summary>A page of a list: skip <see cref="Offset"/> records, return at most <see cref="Limit"/>.</summary>
public readonly record struct Page(int Offset, int Limit);
