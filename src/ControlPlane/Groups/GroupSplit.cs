using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.ControlPlane.Groups;

/// <summary>
/// Splits a case run over the members of its group that run now, with the rule of the start: members ordered by id
/// take index 0, 1, ... of the count, and each executor takes <see cref="Share.Of"/> of every whole-stage level. In
/// count mode the iterations of the group's stage that nobody has started yet (the stage's count less what every
/// member, lost and drained ones included, said it started) are split the same way, on top of what each live member
/// started already: the budgets add up to the stage's count.
/// </summary>
internal static class GroupSplit
{
    /// <summary>The group's stage: the furthest any running member has reported (-1 before the first second).</summary>
    public static int StageOf(IEnumerable<GroupMember> members) =>
        members.Where(m => m.State == MemberState.Running).Select(m => m.StageIndex).DefaultIfEmpty(-1).Max();

    /// <param name="members">Every member the group had, in any state.</param>
    /// <param name="plan">The case's plan (its stages' counts).</param>
    /// <returns>Each running member and its place, ordered by id (the request's case_run_id is left for the caller).</returns>
    public static IReadOnlyList<(GroupMember Member, ReshareRequest Place)> Split(IReadOnlyCollection<GroupMember> members, CasePlan plan)
    {
        var live = members.Where(m => m.State == MemberState.Running).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var stage = Math.Max(0, StageOf(live));
        var countMode = stage < plan.Stages.Count && plan.Stages[stage].OperateMode == 1;
        var remaining = countMode
            ? Math.Max(0, plan.Stages[stage].Count - members.Where(m => m.StageIndex == stage).Sum(m => m.StageIterations))
            : 0;
        return live.Select((m, i) =>
        {
            var place = new ReshareRequest { ExecutorIndex = i, ExecutorCount = live.Count, StageIndex = stage };
            if (countMode)
            {
                place.StageIterations = (m.StageIndex == stage ? m.StageIterations : 0) + Share.Of(remaining, i, live.Count);
            }
            return (m, place);
        }).ToList();
    }
}
