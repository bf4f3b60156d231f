namespace PerfTest.Metrics;

/// <summary>Cumulative counters of a <see cref="RunRecorder"/>; subtract two readings to get a window.</summary>
public readonly record struct RecorderTotals(long Requests, long Successes, long SumMicros)
{
    public double AverageMs => Requests == 0 ? 0 : SumMicros / 1000.0 / Requests;

    public static RecorderTotals operator +(RecorderTotals a, RecorderTotals b) =>
        new(a.Requests + b.Requests, a.Successes + b.Successes, a.SumMicros + b.SumMicros);

    public static RecorderTotals operator -(RecorderTotals a, RecorderTotals b) =>
        new(a.Requests - b.Requests, a.Successes - b.Successes, a.SumMicros - b.SumMicros);
}
