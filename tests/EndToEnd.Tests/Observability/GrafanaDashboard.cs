using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PerfTest.EndToEnd.Tests.Observability;

/// <summary>deploy/grafana/perftest.json: its panels' PromQL expressions and the metric names they use.</summary>
public static partial class GrafanaDashboard
{
    public static JsonObject Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "deploy", "grafana", "perftest.json");
            if (File.Exists(Path.Combine(dir.FullName, "PerfTest.sln")) && File.Exists(file))
            {
                return (JsonObject)JsonNode.Parse(File.ReadAllText(file))!;
            }
        }
        throw new FileNotFoundException("deploy/grafana/perftest.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every expression of every panel's targets and of the template variables' queries.</summary>
    public static IReadOnlyList<string> Expressions(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>()))
            .Concat(dashboard["templating"]!["list"]!.AsArray()
                .Select(v => v!["definition"]?.GetValue<string>()).OfType<string>())
            .ToList();

    /// <summary>The metric names an expression uses (ours all start with perftest_).</summary>
    public static IEnumerable<string> MetricNames(string expression) => MetricName().Matches(expression).Select(m => m.Value);

    [GeneratedRegex(@"\bperftest_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
