using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Transactions;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Targets;

namespace PerfTest.Executor.Scripting;

/// <summary>What compiling one case collects: its metric keys, connection and client slots, transactions and variables.</summary>
internal sealed class CompileContext(bool acceptAnyCertificate, IGlobalVariables? globals, StageShare share, TargetPolicy targets)
{
    public bool AcceptAnyCertificate { get; } = acceptAnyCertificate;

    /// <summary>Where the cards may connect: the plan's target policy.</summary>
    public TargetPolicy Targets { get; } = targets;
    public StageShare Share { get; } = share;
    public List<(TransactionCard Card, string Path)> Transactions { get; } = [];

    /// <summary>Non-HTTP cards so far (TCP, UDP, WebSocket, MQTT, streaming): each has its own client slot in the VU.</summary>
    public int ClientSlots { get; set; }

    /// <summary>The packet cards' keys so far, in key order.</summary>
    public List<MetricKey> Requests { get; } = [];
    public Dictionary<string, int> Origins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP client options of a card (HTTP, WebSocket, HLS, HTTP-FLV): its timeouts and the run's certificate policy.</summary>
    public HttpClientOptions ClientOptions(PacketCard card) => new()
    {
        ConnectTimeout = Millis(card.ConnectTimeoutMs),
        ResponseTimeout = Millis(card.ReturnTimeoutMs),
        AcceptAnyServerCertificate = AcceptAnyCertificate,
        Targets = Targets,
    };

    /// <summary>A card's timeout; absent (0) means 5 s.</summary>
    public static TimeSpan Millis(long ms) => TimeSpan.FromMilliseconds(ms > 0 ? ms : 5000);

    /// <summary>Registers a packet card's metric key: its index, and its name (the card's, else request-{key}).</summary>
    public (int Key, string Name) AddRequest(string path, string name, string method, string url, string protocol)
    {
        var key = Requests.Count;
        name = name.Length > 0 ? name : $"request-{key}";
        Requests.Add(new MetricKey { Key = key, Kind = MetricKeyKind.Request, Path = path, Name = name, Method = method, Url = url, Protocol = protocol });
        return (key, name);
    }

    /// <summary>Names extracted (or set by a data instruction) by the cards compiled so far.</summary>
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
