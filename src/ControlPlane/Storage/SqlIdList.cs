using Dapper;

namespace PerfTest.ControlPlane.Storage;

/// <summary>
/// A list of ids for <c>IN (...)</c> that both providers take. Dapper expands <c>IN @ids</c> for SQLite but hands an
/// array to Npgsql as one parameter, which PostgreSQL's <c>IN</c> does not take (a syntax error at <c>$1</c>); so
/// the list is spelled out as <c>@prefix0, @prefix1, ...</c>, each id a parameter of its own.
/// </summary>
public static class SqlIdList
{
    /// <summary>The most ids one statement gets: callers with more go in chunks of this size.</summary>
    public const int MaxIds = 500;

    /// <summary>
    /// Adds each id to <paramref name="parameters"/> and returns the parenthesised list, e.g. <c>(@id0, @id1)</c>;
    /// <c>(NULL)</c>, which matches no row, for no ids.
    /// </summary>
    public static string Add(DynamicParameters parameters, IReadOnlyList<long> ids, string prefix = "id")
    {
        if (ids.Count > MaxIds)
        {
            throw new ArgumentOutOfRangeException(nameof(ids), ids.Count, $"at most {MaxIds} ids per statement");
        }
        if (ids.Count == 0)
        {
            return "(NULL)";
        }
        for (var i = 0; i < ids.Count; i++)
        {
            parameters.Add(prefix + i, ids[i]);
        }
        return "(" + string.Join(", ", Enumerable.Range(0, ids.Count).Select(i => "@" + prefix + i)) + ")";
    }
}
