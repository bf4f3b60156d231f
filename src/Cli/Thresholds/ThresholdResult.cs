using System.Globalization;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli.Thresholds;

/// <summary>A threshold checked on one case (or one request of a case): the measured value and the verdict.</summary>
public sealed record ThresholdResult(Threshold Threshold, string Scope, double? Value, bool Passed, string Message)
{
    /// <summary>Every threshold against every case it applies to; a request name no case has is a broken threshold.</summary>
    public static List<ThresholdResult> Evaluate(IEnumerable<Threshold> thresholds, RunSummary summary)
    {
        var results = new List<ThresholdResult>();
        foreach (var t in thresholds)
        {
            var read = Threshold.Metrics[t.Metric];
            var matched = false;
            foreach (var c in summary.Cases)
            {
                var targets = t.Request is null
                    ? [(c.Name, c.Performance)]
                    : c.Requests.Where(r => r["name"]?.GetValue<string>() == t.Request).Select(r => ($"{c.Name}/{t.Request}", r)).ToList();
                foreach (var (scope, figures) in targets)
                {
                    matched = true;
                    var value = read(figures);
                    var passed = t.Holds(value);
                    var shown = value.ToString("0.###", CultureInfo.InvariantCulture);
                    results.Add(new ThresholdResult(t, scope, value, passed,
                        passed ? $"{t.Metric} = {shown}" : $"{t.Metric} = {shown}, which is not {t.Operator} {t.Limit.ToString(CultureInfo.InvariantCulture)}"));
                }
            }
            if (!matched)
            {
                results.Add(new ThresholdResult(t, t.Request ?? "(no case)", null, false,
                    t.Request is null ? "the run has no case" : $"no request named \"{t.Request}\" in the run"));
            }
        }
        return results;
    }
}
