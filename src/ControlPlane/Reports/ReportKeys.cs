using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Contract;

namespace PerfTest.ControlPlane.Reports;

/// <summary>What one metric key of a case run measured, as its executors declared it (MetricKey in the stream).</summary>
/// <param name="Key">The key in the stored seconds.</param>
/// <param name="IsTransaction">A transaction's key; else a packet card's.</param>
/// <param name="Path">The card's (or transaction block's) path in the stored case.</param>
/// <param name="Name">The card's or transaction's name, every character kept.</param>
/// <param name="Method">GET, POST, ..., or TCP, UDP, WebSocket, MQTT, HLS, RTMP, HTTP-FLV; empty for a transaction.</param>
/// <param name="Url">The URL as written; empty for a transaction.</param>
/// <param name="Protocol">HTTP, HTTPS, TCP, UDP, WebSocket, MQTT, HLS, RTMP, HTTP-FLV; empty for a transaction.</param>
/// <param name="TransactionId">The transaction's id, for a transaction.</param>
public sealed record ReportKey(int Key, bool IsTransaction, string Path, string Name, string Method, string Url, string Protocol, long TransactionId)
{
    /// <summary>The API's content_method_url form, "name#METHOD#URL".</summary>
    public string ContentMethodUrl => $"{Name}#{Method}#{Url}";
}

/// <summary>
/// The metric keys of a case run as stored in <c>case_runs.requests</c>: a JSON array of objects
/// (<c>key, kind, path, name, method, url, protocol, transaction_id</c>), written when the first executor's
/// stream declares them. Runs stored before plan version 2 hold "name#METHOD#URL" strings instead; they are
/// read as well as those strings allow (a name with a '#' in it was cut there).
/// </summary>
public static class ReportKeys
{
    /// <summary>Every protocol name a card can have, in the order (and spelling) the log outline lists them.</summary>
    public static readonly IReadOnlyList<string> ProtocolOrder = ["HTTP", "HTTPS", "TCP", "UDP", "WebSocket", "MQTT", "HLS", "RTMP", "HTTP-FLV"];

    /// <summary>The case run's keys: its request cards, then its transactions.</summary>
    public static IReadOnlyList<ReportKey> Of(CaseRunRow caseRun) => Parse(caseRun.Requests);

    /// <summary>The distinct protocols of the case runs' request cards, in <see cref="ProtocolOrder"/>.</summary>
    public static IReadOnlyList<string> Protocols(IEnumerable<CaseRunRow> caseRuns)
    {
        var used = caseRuns.SelectMany(Of).Where(k => !k.IsTransaction).Select(k => k.Protocol).ToHashSet(StringComparer.Ordinal);
        return ProtocolOrder.Where(used.Contains).ToList();
    }

    public static string Serialize(IEnumerable<MetricKey> keys) => new JsonArray(keys.Select(k => (JsonNode)new JsonObject
    {
        ["key"] = k.Key,
        ["kind"] = k.Kind == MetricKeyKind.Transaction ? "transaction" : "request",
        ["path"] = k.Path,
        ["name"] = k.Name,
        ["method"] = k.Method,
        ["url"] = k.Url,
        ["protocol"] = k.Protocol,
        ["transaction_id"] = k.TransactionId,
    }).ToArray()).ToJsonString();

    public static List<ReportKey> Parse(string stored)
    {
        var keys = new List<ReportKey>();
        if (JsonNode.Parse(stored) is not JsonArray array)
        {
            return keys;
        }
        for (var i = 0; i < array.Count; i++)
        {
            keys.Add(array[i] is JsonObject o ? FromObject(o) : Legacy(i, array[i]?.GetValue<string>() ?? ""));
        }
        return keys;
    }

    private static ReportKey FromObject(JsonObject o)
    {
        string Text(string name) => o[name]?.GetValue<string>() ?? "";
        return new ReportKey(o["key"]?.GetValue<int>() ?? 0, Text("kind") == "transaction", Text("path"), Text("name"), Text("method"),
            Text("url"), Text("protocol"), o["transaction_id"]?.GetValue<long>() ?? 0);
    }

    /// <summary>"name#METHOD#URL", or "name#TRANSACTION#id" for a transaction.</summary>
    private static ReportKey Legacy(int key, string text)
    {
        var parts = text.Split('#');
        var method = parts.Length > 1 ? parts[1] : "";
        var rest = parts.Length > 2 ? string.Join('#', parts[2..]) : "";
        if (method == "TRANSACTION")
        {
            return new ReportKey(key, true, "", parts[0], "", "", "", long.TryParse(rest, out var id) ? id : 0);
        }
        var protocol = method is "TCP" or "UDP" or "WebSocket" or "MQTT" or "HLS" or "RTMP" or "HTTP-FLV" ? method
            : rest.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "HTTPS" : "HTTP";
        return new ReportKey(key, false, "", parts[0], method, rest, protocol, 0);
    }

    /// <summary>Whether two executors' declarations name the same keys.</summary>
    public static bool Same(IReadOnlyList<MetricKey> a, IReadOnlyList<MetricKey> b) => a.SequenceEqual(b);

    /// <summary>A key list for messages: "0 contents[0].content[0] GET http://...".</summary>
    public static string Describe(IEnumerable<MetricKey> keys) =>
        string.Join("; ", keys.Select(k => $"{k.Key} {k.Path} {k.Method} {k.Url}".TrimEnd()));
}
