using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Metrics;

namespace PerfTest.Executor.Debugging;

/// <summary>
/// Debugs a case plan on this executor: its setup and main cards run once, for real, as one VU runs them
/// (extracted values flow into later cards, controllers and transactions run as they would for that VU,
/// global variables are drawn once, clients are kept across cards), think times not waited for. Answers every
/// packet card's exchange (<see cref="DebugLog"/>).
/// </summary>
public static class CaseDebugger
{
    public static async Task<DebugReply> RunAsync(DebugRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CompiledScript script;
        DebugLog? log = null;
        try
        {
            if (request.PlanVersion != PlanContract.Version)
            {
                throw new ScriptException(PlanContract.Mismatch(request.PlanVersion, "the control plane", "this executor"));
            }
            var globals = request.Case.Variables.Count == 0 ? null
                : GlobalVariables.From(request.Case.Variables, 0, 1, new VariableCursorRegistry());
            // A refused target is the card's error: the log is made once the script's keys are known, before any card runs.
            script = ScriptCompiler.Compile(request.Case, request.AcceptAnyCertificate, globals, StageShare.Alone, reason => log?.Refused(reason));
        }
        catch (Exception e) when (e is ScriptException or VariableDefinitionException)
        {
            return new DebugReply { Error = e.Message };
        }
        log = new DebugLog(script.Keys, request.MaxCaptureBytes);
        var recorder = new RunRecorder(script.KeyCount, script.RequestCount);
        await using (var vu = new VirtualUser(recorder, script.ConnectionSlots, cancellationToken, script.Globals) { Debug = log })
        {
            vu.Variables.BeginIteration();
            foreach (var card in script.Setup.Concat(script.Main))
            {
                await card.ExecuteAsync(vu, cancellationToken);
            }
        }
        var reply = new DebugReply();
        reply.Exchanges.AddRange(log.Exchanges);
        return reply;
    }
}
