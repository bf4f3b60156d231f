using PerfTest.Executor.Contract;
using PerfTest.Protocols.Targets;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// The start-time half of the target policy: a card whose URL names a refused address, or a host name on the deny
/// list, cannot run, so its plan fails to compile and the start (or debug) is a 400 naming the card. Names that are not
/// denied are judged by the clients on the addresses they resolve to, at connect time; a host with a ${reference}
/// is judged only then.
/// </summary>
internal static class CardTarget
{
    public static void Check(PacketCard card, string path, TargetPolicy policy)
    {
        var (url, field) = card.RequestCase switch
        {
            PacketCard.RequestOneofCase.Http => (card.Http.Url, "url"),
            PacketCard.RequestOneofCase.Socket => (card.Socket.Url, "url"),
            PacketCard.RequestOneofCase.Websocket => (card.Websocket.Url, "url"),
            PacketCard.RequestOneofCase.Mqtt => (card.Mqtt.Url, "url"),
            PacketCard.RequestOneofCase.Stream => (card.Stream.Url, card.Stream.UrlField),
            _ => ("", ""),
        };
        if (HostOf(url) is { } host && policy.RefusalOfHost(host) is { } refusal)
        {
            var name = card.Name.Length > 0 ? $" ({card.Name})" : "";
            throw new ScriptException($"{path}{name}.content.{field} '{url}' is refused by the target policy: {refusal}");
        }
    }

    /// <summary>
    /// The host of "scheme://[user@]host[:port][/path]" or "host:port" (IPv6 in brackets); null when there is none or it
    /// holds a reference.
    /// </summary>
    internal static string? HostOf(string url)
    {
        var rest = url.Trim();
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        rest = scheme >= 0 ? rest[(scheme + 3)..] : rest;
        var end = rest.IndexOfAny(['/', '?', '#']);
        rest = end >= 0 ? rest[..end] : rest;
        rest = rest[(rest.LastIndexOf('@') + 1)..];
        string host;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? rest[1..close] : "";
        }
        else
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            host = colon >= 0 && rest.IndexOf(':', colon + 1) < 0 ? rest[..colon] : rest;
        }
        return host.Length == 0 || host.Contains("${", StringComparison.Ordinal) ? null : host;
    }
}
