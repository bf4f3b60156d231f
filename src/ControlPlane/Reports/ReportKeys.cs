using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Scripting;

namespace PerfTest.ControlPlane.Reports;

/// <summary>
/// One metric key of a case run as the reports see it: a request card (with its protocol) or a transaction
/// (no protocol). <paramref name="Protocol"/> is one of <see cref="ReportKeys.ProtocolOrder"/>, null for a transaction.
/// </summary>
public sealed record ReportKey(int Key, string Name, string Method, bool IsTransaction, string? Protocol);

/// <summary>
/// The one place the reports learn a key's kind and protocol. Today both are derived from the stored
/// "name#METHOD#URL" labels (<see cref="ReportBuilder"/>.Keys); when labels carry their protocol, only
/// <see cref="Of"/> changes.
/// </summary>
public static class ReportKeys
{
    /// <summary>Every protocol name a card can have, in the order (and spelling) the log outline lists them.</summary>
    public static readonly IReadOnlyList<string> ProtocolOrder = ["HTTP", "HTTPS", "TCP", "UDP", "WebSocket", "MQTT", "HLS", "RTMP", "HTTP-FLV"];

    /// <summary>The case run's keys: its request cards, then its transactions.</summary>
    public static IReadOnlyList<ReportKey> Of(CaseRunRow caseRun) =>
        ReportBuilder.Keys(caseRun).Select(k => k.Method == TransactionInfo.Method
            ? new ReportKey(k.Key, k.Name, k.Method, true, null)
            : new ReportKey(k.Key, k.Name, k.Method, false, Protocol(k.Method, k.Url))).ToList();

    /// <summary>
    /// A request card's protocol from its report method: the protocol cards register their protocol as the method
    /// ("TCP", "UDP", "WebSocket", "MQTT"; the stream plays "HLS", "RTMP", "HTTP-FLV"), every other method is an
    /// HTTP method, "HTTPS" when the URL as written starts with https:// (a URL whose scheme comes from a variable is "HTTP").
    /// </summary>
    public static string Protocol(string method, string url) => method switch
    {
        "TCP" or "UDP" or "WebSocket" or "MQTT" or "HLS" or "RTMP" or "HTTP-FLV" => method,
        _ => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "HTTPS" : "HTTP",
    };

    /// <summary>The distinct protocols of the case runs' request cards, in <see cref="ProtocolOrder"/>.</summary>
    public static IReadOnlyList<string> Protocols(IEnumerable<CaseRunRow> caseRuns)
    {
        var used = caseRuns.SelectMany(Of).Select(k => k.Protocol).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return ProtocolOrder.Where(used.Contains).ToList();
    }
}
