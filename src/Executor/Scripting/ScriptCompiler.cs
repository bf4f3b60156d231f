using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Checks;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Transactions;
using PerfTest.Executor.Scripting.Extraction;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// Compiles a stored case (its contents and setup_contents) into cards. Disabled blocks are
/// skipped; what this executor cannot run yet is refused with a message naming the card.
/// Checkpoint and extraction cards are folded into the nearest preceding packet card of their block;
/// a block with a data_type is wrapped in its controller; a transaction's block runs its cards as one timed card.
/// </summary>
public static class ScriptCompiler
{
    /// <param name="caseDoc">The case: its <c>setup_contents</c> (run once per VU) and <c>contents</c> (each iteration).</param>
    /// <param name="acceptAnyCertificate">The run's policy: cards over TLS accept any server certificate.</param>
    /// <param name="globals">The case's global variables that <c>${name}</c> references may use; null when none.</param>
    /// <param name="share">This executor's place in the run, for controllers whose counts are run totals.</param>
    public static CompiledScript Compile(JsonObject caseDoc, bool acceptAnyCertificate, IGlobalVariables? globals = null, StageShare? share = null)
    {
        var context = new CompileContext(acceptAnyCertificate, globals, share ?? StageShare.Alone);
        var setup = CompileBlocks(caseDoc["setup_contents"] as JsonArray, "setup_contents", context);
        var setupRequests = context.Requests.Count;
        var main = CompileBlocks(caseDoc["contents"] as JsonArray, "contents", context);
        if (context.Requests.Count == setupRequests)
        {
            throw new ScriptException("contents has no enabled packet card: there is nothing to send");
        }
        var transactions = new List<TransactionInfo>();
        foreach (var transaction in context.Transactions)
        {
            transaction.Key = context.Requests.Count + transactions.Count;
            transactions.Add(new TransactionInfo(transaction.Key, transaction.Id, transaction.Name));
        }
        return new CompiledScript(setup, main, context.Requests, context.Origins.Count, globals, transactions);
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
            var assignments = dataType == 1 ? ControllerCompiler.Assignments(block, blockPath) : null;
            context.Extracted.UnionWith(assignments?.Select(a => a.Name) ?? []);
            var blockCards = block[PlanTransaction] is JsonObject transaction
                ? [CompileTransaction(transaction, blockPath, context)]
                : Int(block, "content_id") != 0
                    ? throw new ScriptException($"{blockPath}.content_id {Int(block, "content_id")} names a transaction the plan does not carry")
                    : CompileCards(block["content"] as JsonArray ?? [], $"{blockPath}.content", context);
            if (dataType == 0)
            {
                cards.AddRange(blockCards);
            }
            else
            {
                cards.Add(ControllerCompiler.Wrap(dataType, block, blockPath, blockCards, context.Share,
                    (list, listPath) => CompileCards(list, listPath, context), assignments));
            }
        }
        return cards;
    }

    /// <summary>A block's cards; checkpoint and extraction cards fold into the packet card before them.</summary>
    private static List<ICard> CompileCards(JsonArray content, string path, CompileContext context)
    {
        var cards = new List<ICard>();
        IAnsweredCard? packet = null;
        for (var j = 0; j < content.Count; j++)
        {
            if (content[j] is JsonObject card && CompileCard(card, $"{path}[{j}]", context, ref packet) is { } compiled)
            {
                cards.Add(compiled);
            }
        }
        return cards;
    }

    /// <summary>The transaction the control plane attached to a block whose content_id names one (PlanDocument).</summary>
    private static TransactionCard CompileTransaction(JsonObject transaction, string path, CompileContext context)
    {
        var id = transaction["id"] is JsonValue v && v.TryGetValue(out long x) ? x : 0;
        var name = ScriptJson.Text(transaction, "name") ?? $"transaction-{id}";
        var cards = CompileBlocks(transaction["contents"] as JsonArray, $"{path}.{PlanTransaction}.contents", context);
        var card = new TransactionCard(id, name, cards);
        context.Transactions.Add(card);
        return card;
    }

    /// <summary>The card to run, or null for a checkpoint or extraction card, folded into <paramref name="packet"/>.</summary>
    private static ICard? CompileCard(JsonObject card, string path, CompileContext context, ref IAnsweredCard? packet)
    {
        var info = card["content"] as JsonObject ?? [];
        var type = Int(card, "content_type");
        switch (type)
        {
            case 1:
                var ms = info["think_time"] is JsonValue t && t.TryGetValue(out long thinkMs) ? thinkMs : 0;
                return new ThinkTimeCard(TimeSpan.FromMilliseconds(Math.Max(0, ms)));
            case 2 when info["protocol_type"] is JsonValue p && p.TryGetValue(out int protocol) && ProtocolCardCompiler.Handles(protocol):
                var compiled = ProtocolCardCompiler.Compile(info, path, protocol, context);
                packet = compiled as IAnsweredCard;  // MQTT answers are not read by checkpoints, so far
                return compiled;
            case 2:
                packet = CompilePacket(info, path, context);
                return packet;
            case 3:
                AddRules(packet, path, "a checkpoint", rules => rules.Add(CheckpointParser.Parse(info, path + ".content")));
                return null;
            case 4:
                var extractors = ExtractionParser.Parse(info, path + ".content");
                AddRules(packet, path, "an extraction", rules => rules.AddRange(extractors));
                context.Extracted.UnionWith(extractors.Select(e => e.Name));
                return null;
            default:
                throw new ScriptException($"{path}.content_type {type} is not supported by this executor yet (1 think time, 2 packet, 3 checkpoint, 4 extraction are)");
        }
    }

    /// <summary>Folds a checkpoint's or extraction's rules into the packet card before it.</summary>
    private static void AddRules(IAnsweredCard? packet, string path, string kind, Action<ResponseRules> add)
    {
        if (packet is null)
        {
            throw new ScriptException($"{path} is {kind} card with no HTTP, HTTPS, TCP, UDP or WebSocket packet card before it in its block: it has no answer to apply to");
        }
        add(packet.Rules);
        if (!packet.HasHttpHead && packet.Rules.ReadsHttpHead)
        {
            throw new ScriptException($"{path} is {kind} card reading a status or header after a TCP, UDP or WebSocket card, whose answer has a body only (use source body or json_path)");
        }
    }

    private static HttpPacketCard CompilePacket(JsonObject info, string path, CompileContext context)
    {
        var protocol = info["protocol_type"] is null ? 1 : Int(info, "protocol_type");
        if (protocol is not (1 or 2))
        {
            throw new ScriptException($"{path}.content.protocol_type {protocol} is not supported by this executor yet (1 HTTP, 2 HTTPS, 3 TCP, 4 UDP, 7 HLS/RTMP, 9 WebSocket, 10 HTTP-FLV, 11 MQTT are)");
        }
        var request = HttpRequestBuilder.Build(info, path + ".content", protocol, context.IsKnown);
        var options = context.ClientOptions(info);
        // The report names a templated request by its text as written, references unrendered.
        var url = request.Templated?.UrlText ?? request.Template.Url.ToString();
        var (key, name) = context.AddRequest(info["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : null, request.Template.Method, url);
        return new HttpPacketCard(key, name, context.SlotOf(request), request, options);
    }

    private static int Int(JsonObject o, string name) => ScriptJson.Int(o, name);

    /// <summary>
    /// Save-time check of what a stored script defines beyond the API's documented fields: checkpoint and
    /// extraction cards and controller blocks (data and conditions). Throws a ScriptException naming the
    /// field. References, protocols and transactions are judged at start, when the plan is complete.
    /// </summary>
    public static void CheckDefinitions(JsonArray? blocks, string path)
    {
        for (var i = 0; i < (blocks?.Count ?? 0); i++)
        {
            if (blocks![i] is not JsonObject block)
            {
                continue;
            }
            var blockPath = $"{path}[{i}]";
            CheckCardDefinitions(block["content"] as JsonArray, $"{blockPath}.content");
            var dataType = Int(block, "data_type");
            if (dataType != 0)
            {
                var assignments = dataType == 1 ? ControllerCompiler.Assignments(block, blockPath) : null;
                ControllerCompiler.Wrap(dataType, block, blockPath, [], StageShare.Alone, (list, listPath) =>
                {
                    CheckCardDefinitions(list, listPath);
                    return [];
                }, assignments);
            }
        }
    }

    private static void CheckCardDefinitions(JsonArray? cards, string path)
    {
        for (var j = 0; j < (cards?.Count ?? 0); j++)
        {
            if (cards![j] is not JsonObject card || card["content"] is not JsonObject info)
            {
                continue;
            }
            switch (Int(card, "content_type"))
            {
                case 3:
                    CheckpointParser.Parse(info, $"{path}[{j}].content");
                    break;
                case 4:
                    ExtractionParser.Parse(info, $"{path}[{j}].content");
                    break;
            }
        }
    }

    /// <summary>The member the control plane adds to a block whose content_id names a transaction.</summary>
    public const string PlanTransaction = "plan_transaction";
}
