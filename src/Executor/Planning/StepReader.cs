using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Planning;

/// <summary>Reads a stored script's blocks and cards into steps (<see cref="PlanBuilder"/>).</summary>
/// <param name="transactions">The transactions blocks may name; null for the save-time check, which reads the
/// rules and controllers of a script but leaves its packet cards and transactions to the start.</param>
internal sealed class StepReader(IReadOnlyDictionary<long, TransactionSource>? transactions)
{
    private readonly HashSet<long> _expanding = [];

    private bool CheckOnly => transactions is null;

    /// <summary>The blocks of <c>contents</c> or <c>setup_contents</c> (or a transaction's), disabled ones left out.</summary>
    public List<Step> Blocks(JsonArray? blocks, string path)
    {
        var steps = new List<Step>();
        for (var i = 0; i < (blocks?.Count ?? 0); i++)
        {
            var blockPath = $"{path}[{i}]";
            if (blocks![i] is not JsonObject block || CaseJson.Bool(block, "is_disabled", false))
            {
                continue;
            }
            var dataType = CaseJson.Int(block, "data_type");
            var contentId = CaseJson.Long(block, "content_id") ?? 0;
            var blockSteps = contentId != 0 && transactions is not null
                ? [Transaction(contentId, blockPath)]
                : Cards(block["content"] as JsonArray ?? [], $"{blockPath}.content");
            if (dataType == 0)
            {
                steps.AddRange(blockSteps);
            }
            else
            {
                var controller = ControllerReader.Read(dataType, block, blockPath, list => Cards(list, $"{blockPath}.data.else_content"));
                controller.Steps.AddRange(blockSteps);
                steps.Add(new Step { Path = blockPath, Controller = controller });
            }
        }
        return steps;
    }

    private Step Transaction(long id, string path)
    {
        if (!transactions!.TryGetValue(id, out var source))
        {
            throw new ScriptException($"{path}.content_id {id} names no transaction of this project");
        }
        if (!_expanding.Add(id))
        {
            throw new ScriptException($"{path}.content_id {id} names a transaction that contains itself");
        }
        var transaction = new Contract.Transaction { Id = source.Id, Name = source.Name.Length > 0 ? source.Name : $"transaction-{id}" };
        transaction.Steps.AddRange(Blocks(source.Contents, $"{path}.transaction.contents"));
        _expanding.Remove(id);
        return new Step { Path = path, Transaction = transaction };
    }

    /// <summary>A block's cards; checkpoint and extraction cards fold into the packet card before them.</summary>
    private List<Step> Cards(JsonArray content, string path)
    {
        var steps = new List<Step>();
        PacketCard? answered = null;
        for (var j = 0; j < content.Count; j++)
        {
            if (content[j] is not JsonObject card)
            {
                continue;
            }
            var cardPath = $"{path}[{j}]";
            var info = card["content"] as JsonObject ?? [];
            var type = CaseJson.Int(card, "content_type");
            switch (type)
            {
                case 1:
                    steps.Add(new Step { Path = cardPath, ThinkTime = new ThinkTime { Millis = Math.Max(0, CaseJson.Long(info, "think_time") ?? 0) } });
                    break;
                case 2 when CheckOnly:
                    answered = new PacketCard { Http = new HttpPacket() };
                    break;
                case 2:
                    var packet = PacketReader.Read(info, cardPath);
                    steps.Add(new Step { Path = cardPath, Packet = packet });
                    // MQTT answers and streaming plays are not read by checkpoints, so far.
                    answered = packet.RequestCase is PacketCard.RequestOneofCase.Mqtt or PacketCard.RequestOneofCase.Stream ? null : packet;
                    break;
                case 3:
                    var checkpoint = RuleReader.Checkpoint(info, cardPath + ".content");
                    Fold(answered, cardPath, "a checkpoint", checkpoint.Checks.Select(c => c.Source)).Checkpoints.Add(checkpoint);
                    break;
                case 4:
                    var extractions = RuleReader.Extractions(info, cardPath + ".content");
                    Fold(answered, cardPath, "an extraction", extractions.Select(e => e.Source)).Extractions.AddRange(extractions);
                    break;
                default:
                    if (CheckOnly)
                    {
                        break;  // the save-time check of content_type is the API's
                    }
                    throw new ScriptException($"{cardPath}.content_type {type} is not supported by this executor yet (1 think time, 2 packet, 3 checkpoint, 4 extraction are)");
            }
        }
        return steps;
    }

    /// <summary>The packet card a checkpoint's or extraction's rules fold into.</summary>
    private PacketCard Fold(PacketCard? packet, string path, string kind, IEnumerable<ValueSource> sources)
    {
        if (CheckOnly)
        {
            return new PacketCard();  // where rules may stand is judged at start, with the whole plan
        }
        if (packet is null)
        {
            throw new ScriptException($"{path} is {kind} card with no HTTP, HTTPS, TCP, UDP or WebSocket packet card before it in its block: it has no answer to apply to");
        }
        if (packet.RequestCase != PacketCard.RequestOneofCase.Http && sources.Any(s => s is ValueSource.Status or ValueSource.Header))
        {
            throw new ScriptException($"{path} is {kind} card reading a status or header after a TCP, UDP or WebSocket card, whose answer has a body only (use source body or json_path)");
        }
        return packet;
    }
}
