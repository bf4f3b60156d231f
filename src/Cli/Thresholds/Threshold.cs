using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PerfTest.Cli.Thresholds;

/// <summary>
/// One <c>--threshold</c>: <c>[REQUEST_NAME:]metric op number</c>, e.g. <c>tp99&lt;300</c>, <c>login:success_rate&gt;=99.9</c>.
/// Without a request name it holds for every case of the run (the case's figures); with one, for that request
/// in every case that has it.
/// </summary>
public sealed partial record Threshold(string Expression, string? Request, string Metric, string Operator, double Limit)
{
    /// <summary>The metrics and the report field each reads (times in ms, rates in percent).</summary>
    public static readonly IReadOnlyDictionary<string, Func<JsonObject, double>> Metrics = new Dictionary<string, Func<JsonObject, double>>
    {
        ["tp50"] = p => Num(p, "tp50"), ["tp75"] = p => Num(p, "tp75"), ["tp90"] = p => Num(p, "tp90"),
        ["tp95"] = p => Num(p, "tp95"), ["tp99"] = p => Num(p, "tp99"), ["tp999"] = p => Num(p, "tp999"),
        ["tp9999"] = p => Num(p, "tp9999"), ["avg"] = p => Num(p, "averageRespTime"), ["max"] = p => Num(p, "max"),
        ["min"] = p => Num(p, "min"), ["tps"] = p => Num(p, "tps"), ["requests"] = p => Num(p, "requests"),
        ["errors"] = p => Num(p, "errorCount"), ["successes"] = p => Num(p, "successCount"),
        ["success_rate"] = p => Num(p, "successRate"),
        ["error_rate"] = p => Num(p, "requests") == 0 ? 0 : Math.Round(Num(p, "errorCount") * 100 / Num(p, "requests"), 2),
    };

    [GeneratedRegex(@"^\s*(?:(?<request>.+):)?\s*(?<metric>[a-z0-9_]+)\s*(?<op><=|>=|==|!=|<|>)\s*(?<limit>[-+]?[0-9]+(?:\.[0-9]+)?)\s*$")]
    private static partial Regex Syntax();

    public static Threshold Parse(string expression)
    {
        var m = Syntax().Match(expression);
        if (!m.Success)
        {
            throw CliException.Usage($"threshold '{expression}' is not [REQUEST_NAME:]metric op number (op one of < <= > >= == !=)");
        }
        var metric = m.Groups["metric"].Value;
        if (!Metrics.ContainsKey(metric))
        {
            throw CliException.Usage($"threshold '{expression}': unknown metric {metric}; known: {string.Join(' ', Metrics.Keys)}");
        }
        var request = m.Groups["request"].Success ? m.Groups["request"].Value.Trim() : null;
        return new Threshold(expression.Trim(), request, metric, m.Groups["op"].Value,
            double.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Whether <paramref name="value"/> satisfies the threshold.</summary>
    public bool Holds(double value) => Operator switch
    {
        "<" => value < Limit,
        "<=" => value <= Limit,
        ">" => value > Limit,
        ">=" => value >= Limit,
        "==" => value == Limit,
        _ => value != Limit,
    };

    private static double Num(JsonObject o, string key) => o[key]?.GetValue<double>() ?? 0;
}
