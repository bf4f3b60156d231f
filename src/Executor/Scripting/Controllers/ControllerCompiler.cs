using PerfTest.Executor.Contract;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// Builds the controller of a plan's block (its data_type, read by Planning.ControllerReader; docs/scripts.md)
/// around the block's compiled cards. Counts that are totals of the run (throughput tps, rendezvous users) are
/// split over the executors so the shares add up.
/// </summary>
internal static class ControllerCompiler
{
    /// <param name="controller">The plan's controller.</param>
    /// <param name="path">The block's path in the stored case, for messages.</param>
    /// <param name="context">The case's compile context: a data instruction's names become known to the cards after it.</param>
    /// <param name="compileSteps">Compiles a list of steps (the block's, the else branch's).</param>
    public static ICard Compile(Controller controller, string path, CompileContext context, Func<IEnumerable<Step>, IReadOnlyList<ICard>> compileSteps)
    {
        var share = context.Share;
        switch (controller.KindCase)
        {
            case Controller.KindOneofCase.DataInstruction:
                var assignments = controller.DataInstruction.Assignments.Select(a => (a.Name, TextTemplate.Parse(a.Value))).ToList();
                context.Extracted.UnionWith(assignments.Select(a => a.Name));
                return new DataInstructionCard(assignments, compileSteps(controller.Steps));
            case Controller.KindOneofCase.Loop:
                var loop = controller.Loop;
                return loop.While is { } condition
                    ? new LoopController(compileSteps(controller.Steps), loop.MaxLoops, VuCondition.From(condition, path + ".conditions"))
                    : new LoopController(compileSteps(controller.Steps), loop.Count, null);
            case Controller.KindOneofCase.Condition:
                var cards = compileSteps(controller.Steps);
                var otherwise = compileSteps(controller.Condition.ElseSteps);
                return new ConditionController(VuCondition.From(controller.Condition.Condition, path + ".conditions"), cards, otherwise);
            case Controller.KindOneofCase.VuPercentage:
                return new VuPercentageController(compileSteps(controller.Steps), controller.VuPercentage.Percentage);
            case Controller.KindOneofCase.Throughput:
                return new ThroughputController(compileSteps(controller.Steps), (int)share.Of(controller.Throughput.TotalTps), TimeProvider.System);
            case Controller.KindOneofCase.Rendezvous:
                var users = (int)Math.Max(1, share.Of(controller.Rendezvous.TotalUsers));
                return new RendezvousController(compileSteps(controller.Steps), users, TimeSpan.FromMilliseconds(controller.Rendezvous.TimeoutMs));
            default:
                throw new ScriptException($"{path} is a controller of no kind this executor knows");
        }
    }
}

/// <summary>This executor's place in the run, to split run totals (a controller's tps or users) over executors.</summary>
public readonly record struct StageShare(int Index, int Count)
{
    public static StageShare Alone { get; } = new(0, 1);

    public long Of(long total) => Share.Of(total, Index, Math.Max(1, Count));
}
