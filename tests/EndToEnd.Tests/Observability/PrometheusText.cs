using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>One sample of a scrape: metric name, labels, value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
}

/// <summary>A parser of the Prometheus text format (0.0.4) as far as the tests need: samples, and the # TYPE lines.</summary>
public sealed partial class PrometheusText
{
    private PrometheusText(List<Sample> samples, Dictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Each metric family's type (counter, gauge, histogram...), by name.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Every line must be a comment, blank, or a sample: anything else throws.</summary>
    /// <exception cref="FormatException">A line is none of them.</exception>
    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var m = SampleLine().Match(line);
            if (!m.Success)
            {
                throw new FormatException($"not a sample: {line}");
            }
            var labels = LabelPair().Matches(m.Groups["labels"].Value)
                .ToDictionary(l => l.Groups["k"].Value, l => Regex.Unescape(l.Groups["v"].Value), StringComparer.Ordinal);
            samples.Add(new Sample(m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return new PrometheusText(samples, types);
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include every pair of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Of(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Key) == l.Value));

    /// <summary>The metric families' names, with the samples' suffixes (_bucket, _sum, _count) of histograms.</summary>
    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).Concat(Types.Keys).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(\\.|[^"\\])*)",?""")]
    private static partial Regex LabelPair();
}
