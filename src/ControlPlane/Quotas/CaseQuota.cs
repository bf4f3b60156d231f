using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;

namespace PerfTest.ControlPlane.Quotas;

/// <summary>
/// Checks a case (its stages and the targets of its cards) and a task's case count against <see cref="QuotaOptions"/>:
/// at save, and again at start (the limits may have been lowered since). A refusal is 400
/// <see cref="ErrorCodes.QuotaExceeded"/>, naming the member, its value, the limit and its configuration key.
/// </summary>
public sealed class CaseQuota(QuotaOptions options)
{
    private static readonly string[] UrlMembers = ["url", "rtmp_url", "flv_url"];

    /// <summary>Checks every stage of a whole case document.</summary>
    /// <param name="caseDoc">The case as it will be stored (or as stored, at start).</param>
    /// <param name="prefix">Put before each member's path: "" at save, "case 12 (login): " at start.</param>
    public void CheckCase(JsonObject caseDoc, string prefix = "")
    {
        if (caseDoc["stages"] is not JsonArray stages)
        {
            return;
        }
        var targets = Math.Max(1, Targets(caseDoc));
        var limits = options.Executor;
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage)
            {
                continue;
            }
            var load = StageLoad.Of(stage);
            foreach (var (member, value) in load.VuMembers)
            {
                Refuse(value, limits.MaxVus, $"{prefix}stages[{i}].{member}", "Limits:Executor:MaxVus", "VUs");
            }
            foreach (var (member, value) in load.TpsMembers)
            {
                Refuse(value, limits.MaxTps, $"{prefix}stages[{i}].{member}", "Limits:Executor:MaxTps", "iterations per second");
            }
            var connections = load.PeakVus * targets;
            if (connections > limits.MaxConnections)
            {
                throw Exceeded($"{prefix}stages[{i}] opens up to {connections} connections ({load.PeakVus} VUs × {targets} targets); " +
                    $"the limit is {limits.MaxConnections} (Limits:Executor:MaxConnections)");
            }
        }
    }

    /// <summary>Refuses a task of more than Limits:MaxCasesPerTask cases.</summary>
    /// <param name="count">The cases the task would hold.</param>
    /// <param name="member">What holds them, e.g. "case_id_list", "task 12".</param>
    public void CheckCaseCount(int count, string member)
    {
        if (count > options.MaxCasesPerTask)
        {
            throw Exceeded($"{member} has {count} cases; the limit is {options.MaxCasesPerTask} (Limits:MaxCasesPerTask)");
        }
    }

    /// <summary>The peak VUs of the stages of a case: what a run of it holds at most at one time.</summary>
    public static long PeakVus(JsonObject caseDoc) =>
        caseDoc["stages"] is JsonArray stages ? stages.OfType<JsonObject>().Select(s => StageLoad.Of(s).PeakVus).DefaultIfEmpty(0).Max() : 0;

    public static ApiException Exceeded(string message) => new(400, ErrorCodes.QuotaExceeded, message);

    private static void Refuse(long value, int limit, string path, string key, string what)
    {
        if (value > limit)
        {
            throw Exceeded($"{path} is {value}; the limit is {limit} {what} (configuration key {key})");
        }
    }

    /// <summary>Distinct targets (scheme, host and port as written) of the case's cards: each VU keeps a connection to each.</summary>
    private static int Targets(JsonObject caseDoc)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in new[] { "contents", "setup_contents" })
        {
            Collect(caseDoc[member], seen);
        }
        return seen.Count;
    }

    private static void Collect(JsonNode? node, HashSet<string> seen)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (UrlMembers.Contains(name) && value is JsonValue v && v.TryGetValue(out string? url) && url.Length > 0)
                    {
                        seen.Add(Authority(url));
                    }
                    else
                    {
                        Collect(value, seen);
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, seen);
                }
                break;
        }
    }

    /// <summary>"http://h:80/x?y" → "http://h:80"; a URL with variables is taken as written up to its path.</summary>
    private static string Authority(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        return end < 0 ? url : url[..end];
    }
}
