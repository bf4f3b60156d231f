using PerfTest.Executor.Contract;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting.Checks;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Extraction;
using PerfTest.Executor.Scripting.Transactions;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols.Targets;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// Compiles a case plan (plan.proto, built by Planning.PlanBuilder) into the cards a VU runs. The plan is
/// read already; what is judged here is what needs the runtime's types: URLs, ${name} references (known by
/// this point of the script?), payload encodings, end rules, regular expressions. Errors name the card by
/// its path in the stored case. Every packet card gets the next metric key; transactions' keys follow.
/// </summary>
public static class ScriptCompiler
{
    /// <param name="plan">The case plan.</param>
    /// <param name="acceptAnyCertificate">Accept HTTPS and TLS servers with certificates nobody vouches for.</param>
    /// <param name="globals">The case's global variables that <c>${name}</c> references may use; null when none.</param>
    /// <param name="share">This executor's place in the run, for controllers whose counts are run totals.</param>
    /// <param name="refused">Told why, whenever the plan's target policy refuses a card's target (a debug run); null in runs.</param>
    public static CompiledScript Compile(CasePlan plan, bool acceptAnyCertificate, IGlobalVariables? globals = null, StageShare? share = null,
        Action<string>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var context = new CompileContext(acceptAnyCertificate, globals, share ?? StageShare.Alone, Targets(plan, refused));
        var setup = CompileSteps(plan.Setup, context);
        var setupRequests = context.Requests.Count;
        var main = CompileSteps(plan.Steps, context);
        if (context.Requests.Count == setupRequests)
        {
            throw new ScriptException("contents has no enabled packet card: there is nothing to send");
        }
        var keys = new List<MetricKey>(context.Requests);
        foreach (var (transaction, path) in context.Transactions)
        {
            transaction.Key = keys.Count;
            keys.Add(new MetricKey
            {
                Key = transaction.Key, Kind = MetricKeyKind.Transaction, Path = path, Name = transaction.Name, TransactionId = transaction.Id,
            });
        }
        return new CompiledScript(setup, main, keys, context.Origins.Count, globals);
    }

    private static TargetPolicy Targets(CasePlan plan, Action<string>? refused)
    {
        try
        {
            return PlanTargets.FromPlan(plan.Targets, refused);
        }
        catch (FormatException e)
        {
            throw new ScriptException($"the plan's target policy: {e.Message}");
        }
    }

    private static List<ICard> CompileSteps(IEnumerable<Step> steps, CompileContext context)
    {
        var cards = new List<ICard>();
        foreach (var step in steps)
        {
            cards.Add(step.KindCase switch
            {
                Step.KindOneofCase.ThinkTime => new ThinkTimeCard(TimeSpan.FromMilliseconds(Math.Max(0, step.ThinkTime.Millis))),
                Step.KindOneofCase.Packet => CompilePacket(step.Packet, step.Path, context),
                Step.KindOneofCase.Controller => ControllerCompiler.Compile(step.Controller, step.Path, context, s => CompileSteps(s, context)),
                Step.KindOneofCase.Transaction => CompileTransaction(step.Transaction, step.Path, context),
                _ => throw new ScriptException($"{step.Path} is a step of no kind this executor knows"),
            });
        }
        return cards;
    }

    private static TransactionCard CompileTransaction(Contract.Transaction transaction, string path, CompileContext context)
    {
        var card = new TransactionCard(transaction.Id, transaction.Name, CompileSteps(transaction.Steps, context));
        context.Transactions.Add((card, path));
        return card;
    }

    /// <summary>A packet card with the checkpoints and extractions the plan folded into it.</summary>
    private static IPacketCard CompilePacket(PacketCard packet, string path, CompileContext context)
    {
        CardTarget.Check(packet, path, context.Targets);
        var card = packet.RequestCase == PacketCard.RequestOneofCase.Http
            ? CompileHttp(packet, path, context)
            : ProtocolCardCompiler.Compile(packet, path, context);
        if (packet.Checkpoints.Count + packet.Extractions.Count == 0)
        {
            return card;
        }
        var rules = (card as IAnsweredCard ?? throw new ScriptException($"{path} carries checkpoints or extractions, which its protocol's answers cannot be read by")).Rules;
        foreach (var checkpoint in packet.Checkpoints)
        {
            rules.Add(Checks.Checkpoint.From(checkpoint));
        }
        rules.AddRange(packet.Extractions.Select(Extractor.From));
        context.Extracted.UnionWith(packet.Extractions.Select(e => e.Name));
        return card;
    }

    private static HttpPacketCard CompileHttp(PacketCard packet, string path, CompileContext context)
    {
        var request = HttpRequestBuilder.Build(packet.Http, path + ".content", context.IsKnown);
        // The report names a templated request by its text as written, references unrendered.
        var url = request.Templated?.UrlText ?? request.Template.Url.ToString();
        // The scheme it is sent with (protocol_type only supplies one the URL lacks); one from a variable counts as HTTP.
        var protocol = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "HTTPS" : "HTTP";
        var (key, name) = context.AddRequest(path, packet.Name, request.Template.Method, url, protocol);
        return new HttpPacketCard(key, name, context.SlotOf(request), request, context.ClientOptions(packet));
    }
}
