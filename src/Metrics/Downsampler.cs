namespace PerfTest.Metrics;

/// <summary>How the values of one downsampled bucket are combined.</summary>
public enum DownsampleMode
{
    /// <summary>Average over the bucket. For per-second rates (TPS, bytes/s, error rate) and mean
    /// latencies: the area under the curve, hence the total, is preserved.</summary>
    Mean,

    /// <summary>Largest value. For gauges (virtual users) and worst-case latencies (max, tp99),
    /// so peaks are never flattened away.</summary>
    Max,

    /// <summary>Smallest value. For min latencies.</summary>
    Min,

    /// <summary>Total over the bucket. For counts where the chart shows "per bucket", not "per second".</summary>
    Sum,
}

/// <summary>Shrinks per-second series to a number of chart points.</summary>
public static class Downsampler
{
    /// <summary>
    /// Splits the series into <paramref name="points"/> consecutive buckets whose lengths differ by
    /// at most one (bucket i covers [i*n/points, (i+1)*n/points)), combining each by <paramref name="mode"/>.
    /// <paramref name="points"/> &lt;= 0 or &gt;= the series length returns a copy of the series unchanged.
    /// </summary>
    public static double[] Downsample(IReadOnlyList<double> series, int points, DownsampleMode mode)
    {
        ArgumentNullException.ThrowIfNull(series);
        int n = series.Count;
        if (points <= 0 || points >= n)
        {
            return [.. series];
        }

        var result = new double[points];
        for (int bucket = 0; bucket < points; bucket++)
        {
            int start = (int)((long)bucket * n / points);
            int end = (int)((long)(bucket + 1) * n / points);
            result[bucket] = Combine(series, start, end, mode);
        }

        return result;
    }

    private static double Combine(IReadOnlyList<double> series, int start, int end, DownsampleMode mode)
    {
        double acc = series[start];
        for (int i = start + 1; i < end; i++)
        {
            double value = series[i];
            acc = mode switch
            {
                DownsampleMode.Max => Math.Max(acc, value),
                DownsampleMode.Min => Math.Min(acc, value),
                _ => acc + value,
            };
        }

        return mode switch
        {
            DownsampleMode.Mean => acc / (end - start),
            DownsampleMode.Max or DownsampleMode.Min or DownsampleMode.Sum => acc,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }
}
