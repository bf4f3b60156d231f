using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Transactions;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting;

/// <summary>What compiling one case collects: its request keys, connection and client slots, transactions and variables.</summary>
internal sealed class CompileContext(bool acceptAnyCertificate, IGlobalVariables? globals, StageShare share)
{
    public bool AcceptAnyCertificate { get; } = acceptAnyCertificate;
    public StageShare Share { get; } = share;
    public List<TransactionCard> Transactions { get; } = [];

    /// <summary>Non-HTTP cards so far (TCP, UDP, WebSocket, MQTT, streaming): each has its own client slot in the VU.</summary>
    public int ClientSlots { get; set; }
    public List<RequestCardInfo> Requests { get; } = [];
    public Dictionary<string, int> Origins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP client options of a card (HTTP, WebSocket, HLS, HTTP-FLV): its timeouts and the run's certificate policy.</summary>
    public PerfTest.Protocols.Http.HttpClientOptions ClientOptions(System.Text.Json.Nodes.JsonObject info) => new()
    {
        ConnectTimeout = ScriptJson.Millis(info, "connect_timeout"),
        ResponseTimeout = ScriptJson.Millis(info, "return_timeout"),
        AcceptAnyServerCertificate = AcceptAnyCertificate,
    };

    /// <summary>Registers a packet card's report entry: its key, and its name (the card's, else request-{key}).</summary>
    public (int Key, string Name) AddRequest(string? name, string method, string url)
    {
        var key = Requests.Count;
        name ??= $"request-{key}";
        Requests.Add(new RequestCardInfo(key, name, method, url));
        return (key, name);
    }

    /// <summary>Names extracted by the cards compiled so far.</summary>
    public HashSet<string> Extracted { get; } = new(StringComparer.Ordinal);

    public bool IsKnown(string name) => Extracted.Contains(name) || (globals?.Contains(name) ?? false);

    /// <summary>One slot per origin; a URL whose origin holds a reference gets a slot per origin text.</summary>
    public int SlotOf(BuiltRequest request)
    {
        var origin = request.Templated is { } t && OriginText(t.UrlText) is { } text && text.Contains("${", StringComparison.Ordinal)
            ? text : request.Template.Url.GetLeftPart(UriPartial.Authority);
        if (!Origins.TryGetValue(origin, out var slot))
        {
            Origins[origin] = slot = Origins.Count;
        }
        return slot;
    }

    private static string OriginText(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        return end < 0 ? url : url[..end];
    }
}
