using PerfTest.Executor.Grpc;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.Executor.Observability;

/// <summary>What /metrics takes from one second: the whole case's key (-1), the one the report's <c>requests</c> sums.</summary>
public static class SecondFigures
{
    /// <summary>The <c>outcome</c> label of each <see cref="Outcome"/>, by its value.</summary>
    public static IReadOnlyList<string> OutcomeLabels { get; } =
        Enum.GetValues<Outcome>().OrderBy(o => (int)o).Select(o => Snake(o.ToString())).ToArray();

    /// <summary>The case key's stats of the second, or null when it has none (an idle second).</summary>
    public static KeyStats? CaseStats(SecondSnapshot second)
    {
        ArgumentNullException.ThrowIfNull(second);
        foreach (var key in second.Keys)
        {
            if (key.Key == KeySnapshot.CaseKey)
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>The label of outcome index <paramref name="index"/> (an index past the known ones is "other").</summary>
    public static string OutcomeLabel(int index) => index < OutcomeLabels.Count ? OutcomeLabels[index] : "other";

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "_") + char.ToLowerInvariant(c) : c.ToString()));
}
