using PerfTest.ControlPlane.Groups;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Groups;

/// <summary>
/// How a group is split again when it changes: running members by id take the places of the start's rule; in count
/// mode the iterations nobody started are shared on top of what each started, so the budgets add up to the count.
/// </summary>
public sealed class GroupSplitTests
{
    private static GroupMember Member(string id, MemberState state = MemberState.Running, int stage = 0, long iterations = 0) =>
        new(new NamedClient(id)) { State = state, StageIndex = stage, StageIterations = iterations };

    private static CasePlan Plan(params Stage[] stages)
    {
        var plan = new CasePlan();
        plan.Stages.AddRange(stages);
        return plan;
    }

    [Fact]
    public void Running_members_take_places_by_id_and_the_others_none()
    {
        var members = new[] { Member("c"), Member("a", MemberState.Lost), Member("b"), Member("d", MemberState.Drained) };
        var split = GroupSplit.Split(members, Plan(new Stage { OperateMode = 0, TimeSeconds = 30 }));
        Assert.Equal(["b:0/2", "c:1/2"], split.Select(p => $"{p.Member.Id}:{p.Place.ExecutorIndex}/{p.Place.ExecutorCount}"));
        Assert.All(split, p => Assert.False(p.Place.HasStageIterations));  // time mode: no budget
    }

    [Fact]
    public void In_count_mode_what_nobody_started_is_split_on_top_of_what_each_started()
    {
        // 1,000 iterations; a lost member had started 300, b 200, c 100: 400 remain, 200 each on top.
        var members = new[] { Member("a", MemberState.Lost, iterations: 300), Member("b", iterations: 200), Member("c", iterations: 100) };
        var split = GroupSplit.Split(members, Plan(new Stage { OperateMode = 1, Count = 1000 }));
        Assert.Equal([400L, 300L], split.Select(p => p.Place.StageIterations));
        Assert.Equal(1000, split.Sum(p => p.Place.StageIterations) + 300);
    }

    [Fact]
    public void The_group_stage_is_the_furthest_a_running_member_reached_and_members_behind_count_nothing_in_it()
    {
        var members = new[] { Member("a", stage: 1, iterations: 10), Member("b", stage: 0, iterations: 99), Member("j", stage: -1) };
        var split = GroupSplit.Split(members, Plan(new Stage { OperateMode = 1, Count = 5 }, new Stage { OperateMode = 1, Count = 101 }));
        Assert.All(split, p => Assert.Equal(1, p.Place.StageIndex));
        // 101 - 10 = 91 remain over 3: 31, 30, 30; a started 10 of stage 1 already.
        Assert.Equal([41L, 30L, 30L], split.Select(p => p.Place.StageIterations));
    }

    /// <summary>Only its id is used: the split calls no executor.</summary>
    private sealed class NamedClient(string id) : IExecutorClient
    {
        public string Id { get; } = id;
        public IAsyncEnumerable<SecondSnapshot> RunAsync(RunPlan plan, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> StopAsync(long caseRunId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> SetLevelAsync(long caseRunId, int totalLevel, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<DebugReply> DebugAsync(DebugRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> ReshareAsync(ReshareRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public IAsyncEnumerable<SecondSnapshot> AttachAsync(AttachRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
