using System.Globalization;
using System.Text;

namespace PerfTest.IngestBench;

/// <summary>One reading: seconds made by the simulated executors, written to their streams, rows in the store, control plane RSS.</summary>
internal sealed record Sample(double T, long Generated, long Written, long Stored, long RssKb, int Finals, bool Over);

/// <summary>The figures of a run, from its samples.</summary>
internal static class Summary
{
    public static string Of(List<Sample> samples, int executors, double rate, long distinct, long bytes, long caseRequests, bool finished)
    {
        var first = samples.FindIndex(s => s.Written > 0);
        var lastLoad = samples.FindIndex(s => s.Over);
        lastLoad = lastLoad < 0 ? samples.Count - 1 : lastLoad;
        // The steady part: 5 s after the first second was written, to the last sample before the finals.
        var from = samples.FindIndex(s => first >= 0 && s.T >= samples[first].T + 5);
        var to = Math.Max(from, lastLoad - 1);
        var span = from >= 0 && to > from ? samples[to].T - samples[from].T : double.NaN;
        double Rate(Func<Sample, long> f) => double.IsNaN(span) ? double.NaN : (f(samples[to]) - f(samples[from])) / span;
        // Lag at each sample: how long ago the executors had made as many seconds as the store holds now.
        var lags = new List<double>();
        for (var i = Math.Max(first, 0); i < samples.Count; i++)
        {
            var made = samples.Find(s => s.Generated >= samples[i].Stored);
            lags.Add(made is null ? 0 : samples[i].T - made.T);
        }
        lags.Sort();
        var end = samples[^1];
        var idle = samples[0].RssKb;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"executors {executors}, offered {(rate > 0 ? (rate * executors).ToString("0.#", c) + " seconds/s" : "as fast as taken")}");
        text.AppendLine(c, $"steady {span:F1} s: made {Rate(s => s.Generated):F0}/s, written {Rate(s => s.Written):F0}/s, stored {Rate(s => s.Stored):F0}/s");
        text.AppendLine(c, $"lag (made -> stored): median {Pct(lags, 50):F1} s, p95 {Pct(lags, 95):F1} s, max {lags.LastOrDefault():F1} s (sampled every 0.5 s)");
        text.AppendLine(c, $"most waiting at the executors {samples.Max(s => s.Generated - s.Written)}, most written not yet stored {samples.Max(s => s.Written - s.Stored)}");
        text.AppendLine(c, $"finals {end.Finals} of {executors}; last second stored {end.T - samples[lastLoad].T:F1} s after the last stream ended");
        text.AppendLine(c, $"control plane RSS: idle {idle / 1024} MB, max {samples.Max(s => s.RssKb) / 1024} MB, end {end.RssKb / 1024} MB");
        text.AppendLine(c, $"rows: written {end.Written}, stored {end.Stored}, distinct (case run, executor, sequence) {distinct}; " +
            $"{(bytes / Math.Max(1.0, end.Stored) / 1024):F1} KiB per row");
        text.Append(c, $"RESULT finished={(finished ? 1 : 0)} written={end.Written} stored={end.Stored} distinct={distinct} case_requests={caseRequests}");
        return text.ToString();
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
}
