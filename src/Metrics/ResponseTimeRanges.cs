using System.Globalization;

namespace PerfTest.Metrics;

/// <summary>The "response time ranges" block of the PerfTest report.</summary>
public static class ResponseTimeRanges
{
    private const long Ms = 1000;

    /// <summary>Upper bounds (µs, inclusive) of every range but the last, paired with the report labels.</summary>
    private static readonly (string Label, long UpperMicros)[] Ranges =
    [
        ("0~50ms", 50 * Ms),
        ("50~200ms", 200 * Ms),
        ("200~500ms", 500 * Ms),
        ("500ms~1s", 1000 * Ms),
        ("1~2s", 2000 * Ms),
        ("2~3s", 3000 * Ms),
        ("3~4s", 4000 * Ms),
        ("4~5s", 5000 * Ms),
        (">5s", long.MaxValue),
    ];

    /// <summary>All nine ranges in report order, each as "12.3%(456)": share of all requests
    /// (one decimal, invariant culture) and count. Empty aggregate: "0.0%(0)" everywhere.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(MetricAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        long total = aggregate.Requests;
        var result = new List<KeyValuePair<string, string>>(Ranges.Length);
        long countBelowPrevious = 0;
        foreach (var (label, upperMicros) in Ranges)
        {
            // Differences of cumulative at-or-below counts: every request lands in exactly one range.
            long countAtOrBelow = upperMicros == long.MaxValue ? total : aggregate.CountAtOrBelowMicros(upperMicros);
            long count = countAtOrBelow - countBelowPrevious;
            countBelowPrevious = countAtOrBelow;
            double percent = total == 0 ? 0 : count * 100.0 / total;
            result.Add(new(label, string.Create(CultureInfo.InvariantCulture, $"{percent:0.0}%({count})")));
        }

        return result;
    }
}
