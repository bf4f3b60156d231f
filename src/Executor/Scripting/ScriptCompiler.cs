using System.Text.Json.Nodes;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// Compiles a stored case (its contents and setup_contents) into cards. Disabled blocks are
/// skipped; what this executor cannot run yet is refused with a message naming the card.
/// </summary>
public static class ScriptCompiler
{
    public static CompiledScript Compile(JsonObject caseDoc, bool acceptAnyCertificate)
    {
        var context = new CompileContext(acceptAnyCertificate);
        var setup = CompileBlocks(caseDoc["setup_contents"] as JsonArray, "setup_contents", context);
        var main = CompileBlocks(caseDoc["contents"] as JsonArray, "contents", context);
        if (!main.OfType<HttpPacketCard>().Any())
        {
            throw new ScriptException("contents has no enabled packet card: there is nothing to send");
        }
        return new CompiledScript(setup, main, context.Requests, context.Origins.Count);
    }

    private static List<ICard> CompileBlocks(JsonArray? blocks, string path, CompileContext context)
    {
        var cards = new List<ICard>();
        for (var i = 0; i < (blocks?.Count ?? 0); i++)
        {
            var blockPath = $"{path}[{i}]";
            if (blocks![i] is not JsonObject block || block["is_disabled"] is JsonValue d && d.TryGetValue(out bool disabled) && disabled)
            {
                continue;
            }
            var dataType = Int(block, "data_type");
            if (dataType != 0)
            {
                throw new ScriptException($"{blockPath}.data_type {dataType} (controllers) is not supported by this executor yet");
            }
            if (Int(block, "content_id") != 0)
            {
                throw new ScriptException($"{blockPath}.content_id {Int(block, "content_id")} (transactions) is not supported by this executor yet");
            }
            var content = block["content"] as JsonArray ?? [];
            for (var j = 0; j < content.Count; j++)
            {
                if (content[j] is JsonObject card)
                {
                    cards.Add(CompileCard(card, $"{blockPath}.content[{j}]", context));
                }
            }
        }
        return cards;
    }

    private static ICard CompileCard(JsonObject card, string path, CompileContext context)
    {
        var info = card["content"] as JsonObject ?? [];
        var type = Int(card, "content_type");
        switch (type)
        {
            case 1:
                var ms = info["think_time"] is JsonValue t && t.TryGetValue(out long thinkMs) ? thinkMs : 0;
                return new ThinkTimeCard(TimeSpan.FromMilliseconds(Math.Max(0, ms)));
            case 2:
                var protocol = info["protocol_type"] is null ? 1 : Int(info, "protocol_type");
                if (protocol is not (1 or 2))
                {
                    throw new ScriptException($"{path}.content.protocol_type {protocol} is not supported by this executor yet (1 HTTP, 2 HTTPS are)");
                }
                var request = HttpRequestBuilder.Build(info, path + ".content", protocol);
                var options = new HttpClientOptions
                {
                    ConnectTimeout = Millis(info, "connect_timeout", 5000),
                    ResponseTimeout = Millis(info, "return_timeout", 5000),
                    AcceptAnyServerCertificate = context.AcceptAnyCertificate,
                };
                var key = context.Requests.Count;
                var name = info["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : $"request-{key}";
                context.Requests.Add(new RequestCardInfo(key, name, request.Template.Method, request.Template.Url.ToString()));
                return new HttpPacketCard(key, name, context.SlotOf(request.Template.Url), request, options);
            default:
                throw new ScriptException($"{path}.content_type {type} is not supported by this executor yet (1 think time, 2 packet are)");
        }
    }

    private static TimeSpan Millis(JsonObject info, string name, int fallback) =>
        TimeSpan.FromMilliseconds(info[name] is JsonValue v && v.TryGetValue(out long ms) && ms > 0 ? ms : fallback);

    private static int Int(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out int x) ? x : 0;

    private sealed class CompileContext(bool acceptAnyCertificate)
    {
        public bool AcceptAnyCertificate { get; } = acceptAnyCertificate;
        public List<RequestCardInfo> Requests { get; } = [];
        public Dictionary<string, int> Origins { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int SlotOf(Uri url)
        {
            var origin = url.GetLeftPart(UriPartial.Authority);
            if (!Origins.TryGetValue(origin, out var slot))
            {
                Origins[origin] = slot = Origins.Count;
            }
            return slot;
        }
    }
}
