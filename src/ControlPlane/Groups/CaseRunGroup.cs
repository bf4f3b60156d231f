using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Groups;

/// <summary>
/// One case run on its group of executors while it runs. Each member runs its share and streams its seconds, stored as
/// they arrive. When a member leaves (its stream breaks and it cannot be re-attached, it goes silent, it misses its
/// heartbeats, or it drains on shutdown) the members that run on are split again over the whole stage
/// (<see cref="GroupSplit"/>); an executor that joins the group takes its share the same way. Every change is recorded
/// (<see cref="GroupChangeStore"/>) for the report. The case run is over when every member's stream has ended.
/// </summary>
public sealed partial class CaseRunGroup(ActiveRun run, PlannedCase planned, GroupServices services)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly List<Task> _streams = [];
    private string? _error;
    private int _split;  // how many times the group was split; a member's PlacedAt says which it runs by

    public long CaseRunId => planned.CaseRunId;

    /// <summary>The executors that run their share now.</summary>
    public IReadOnlyList<IExecutorClient> Running
    {
        get
        {
            lock (_lock)
            {
                return _members.Values.Where(m => m.State == MemberState.Running).Select(m => m.Client).ToList();
            }
        }
    }

    /// <summary>Whether the executor runs a share of this case run now (or has not stopped streaming since it drained).</summary>
    public bool Has(string executorId)
    {
        lock (_lock)
        {
            return _members.TryGetValue(executorId, out var m) && m.State is MemberState.Running or MemberState.Drained;
        }
    }

    /// <summary>Starts the plan on <paramref name="executors"/> (each its share) and follows the case run to its end.</summary>
    public async Task<CaseRunEnd> RunAsync(IReadOnlyList<IExecutorClient> executors)
    {
        var ordered = executors.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        lock (_lock)
        {
            for (var i = 0; i < ordered.Count; i++)
            {
                var member = new GroupMember(ordered[i]);
                _members[member.Id] = member;
                _streams.Add(FollowAsync(member, PlanFor(i, ordered.Count)));
            }
        }
        foreach (var e in ordered)
        {
            await services.Changes.AddAsync(CaseRunId, NowMs(), e.Id, GroupChange.Started);
        }
        return await EndAsync();
    }

    /// <summary>
    /// Taken over from a former control plane and not resumed yet (<see cref="ResumeAsync"/>): the executors that come
    /// back are attached, but nobody is split again, and nobody joins, until every former member is back or counted lost.
    /// A split over the first of them to come back would have it run the whole stage while the others still run theirs.
    /// </summary>
    public bool Resuming { init => _resuming = value; }

    private volatile bool _resuming;

    /// <summary>
    /// Takes back a case run a former control plane ran: attaches to the executors that still run its plan (they
    /// replay what was not stored); the former members that did not come back (<paramref name="gone"/>) are lost, and
    /// their share goes to the others; then follows the case run to its end. Holders that show up later come in
    /// through <see cref="AdoptAsync"/>.
    /// </summary>
    public async Task<CaseRunEnd> ResumeAsync(IReadOnlyList<IExecutorClient> holders, IReadOnlyList<IExecutorClient> gone, string why)
    {
        foreach (var holder in holders)
        {
            await AdoptAsync(holder);
        }
        foreach (var executor in gone)
        {
            var last = await services.Runs.LastSecondAsync(CaseRunId, executor.Id);
            lock (_lock)
            {
                // What it started in its stage still counts (count mode); it runs nothing more here.
                var member = new GroupMember(executor);
                if (last is not null)
                {
                    member.Saw(last);
                }
                _members.TryAdd(member.Id, member);
            }
            await LoseAsync(executor.Id, why);
        }
        _resuming = false;
        await ReshareAsync();
        return await EndAsync();
    }

    /// <summary>
    /// An executor runs this case run's plan but is not a member here (it came back after a control-plane restart):
    /// attach to it from the last second stored from it, and split the group again. False when it was a member already.
    /// </summary>
    public async Task<bool> AdoptAsync(IExecutorClient holder)
    {
        var last = await services.Runs.LastSecondAsync(CaseRunId, holder.Id);
        lock (_lock)
        {
            if (_members.ContainsKey(holder.Id))
            {
                return false;  // a member, or one counted lost whose share the others run: it is told to stop its plan
            }
            var member = new GroupMember(holder);
            if (last is not null)
            {
                member.Saw(last);
            }
            _members[member.Id] = member;
            _streams.Add(FollowAsync(member, plan: null));
        }
        services.Logger.LogInformation("Attached to executor {Executor} for case run {CaseRun} after second {Sequence}",
            holder.Id, CaseRunId, last?.Sequence ?? 0);
        await ReshareAsync();
        return true;
    }

    /// <summary>
    /// An executor came into the group while the case run runs: it starts at the group's stage, on the group's clock,
    /// with its share, and the others give up theirs. False when it cannot join now (no member has reported a second
    /// yet, or nobody runs any more; the group is resuming) or at all (it is a member, or was one until its plan ended);
    /// it is offered again at the next look at the group.
    /// </summary>
    public async Task<bool> JoinAsync(IExecutorClient executor)
    {
        GroupMember joiner;
        lock (_lock)
        {
            // One that finished its plan is at the case run's end, not a newcomer (the others finish within a second); only
            // one counted lost, and back without the plan (restarted), joins again.
            if (run.StopRequested || _resuming || _members.TryGetValue(executor.Id, out var old) && old.State != MemberState.Lost)
            {
                return false;
            }
            var live = _members.Values.Where(m => m.State == MemberState.Running).ToList();
            var stage = GroupSplit.StageOf(live);
            if (stage < 0)
            {
                return false;
            }
            joiner = new GroupMember(executor)
            {
                StageIndex = stage, StageStartedMs = live.Where(m => m.StageIndex == stage).Min(m => m.StageStartedMs),
            };
            _members[joiner.Id] = joiner;
            joiner.PlacedAt = ++_split;  // its plan carries this split; the others get it below
            var place = GroupSplit.Split(_members.Values, planned.Plan).Single(p => p.Member == joiner).Place;
            var plan = PlanFor(place.ExecutorIndex, place.ExecutorCount);
            plan.Join = new JoinPoint { StageIndex = stage, StageStartedUnixMs = joiner.StageStartedMs };
            if (place.HasStageIterations)
            {
                plan.Join.StageIterations = place.StageIterations;
            }
            joiner.Joining = true;
            _streams.Add(FollowAsync(joiner, plan));
        }
        return true;
    }

    /// <summary>
    /// A joiner's first second: it runs now, so the others give up their share (not before: an executor still warming
    /// up would leave the stage short), and the join is recorded.
    /// </summary>
    private async Task JoinedAsync(GroupMember joiner)
    {
        lock (_lock)
        {
            if (!joiner.Joining)
            {
                return;
            }
            joiner.Joining = false;
        }
        await services.Changes.AddAsync(CaseRunId, NowMs(), joiner.Id, GroupChange.Joined);
        services.Logger.LogInformation("Executor {Executor} joined case run {CaseRun}", joiner.Id, CaseRunId);
        await ReshareAsync(except: joiner);
    }

    /// <summary>The executor drains on shutdown: the others take its share now; its last seconds still come in.</summary>
    public Task DrainAsync(string executorId, string why) => LeaveAsync(executorId, MemberState.Drained, GroupChange.Drained, why);

    /// <summary>The executor is gone: the others take its share now; what it sent is kept.</summary>
    public Task LoseAsync(string executorId, string why) => LeaveAsync(executorId, MemberState.Lost, GroupChange.Lost, why);

    /// <summary>Stops the case run on every member that still streams (drain, then the stream is cut after the hard limit).</summary>
    public async Task StopAsync()
    {
        List<IExecutorClient> streaming;
        lock (_lock)
        {
            streaming = _members.Values.Where(m => m.State is MemberState.Running or MemberState.Drained).Select(m => m.Client).ToList();
        }
        await Task.WhenAll(streaming.Select(StopQuietlyAsync));
    }

    private async Task LeaveAsync(string executorId, MemberState state, string change, string why)
    {
        GroupMember? member;
        lock (_lock)
        {
            if (!_members.TryGetValue(executorId, out member) || member.State != MemberState.Running)
            {
                return;
            }
            member.State = state;
        }
        services.Logger.LogWarning("Executor {Executor} left case run {CaseRun} ({Change}): {Why}", executorId, CaseRunId, change, why);
        PublishMembers();
        await services.Changes.AddAsync(CaseRunId, NowMs(), executorId, change, why);
        if (state == MemberState.Lost)
        {
            await member.Cut.CancelAsync();
            _ = StopQuietlyAsync(member.Client);  // it may still be alive behind a broken network: its share is the others' now
        }
        await ReshareAsync();
    }

    /// <summary>Sends every running member its place in the group as it is now (not while resuming: see <see cref="Resuming"/>).</summary>
    private async Task ReshareAsync(GroupMember? except = null)
    {
        IReadOnlyList<(GroupMember Member, ReshareRequest Place)> places;
        int split;
        lock (_lock)
        {
            if (_resuming)
            {
                return;
            }
            split = except is null ? ++_split : _split;
            places = GroupSplit.Split(_members.Values, planned.Plan);
        }
        await Task.WhenAll(places.Where(p => p.Member != except).Select(p => SendPlaceAsync(p.Member, p.Place, split)));
    }

    /// <summary>Sends a member that missed the group's last split its place again (called with its next second).</summary>
    private Task CatchUpAsync(GroupMember member)
    {
        ReshareRequest? place;
        int split;
        lock (_lock)
        {
            split = _split;
            place = member.PlacedAt >= split || member.State != MemberState.Running ? null
                : GroupSplit.Split(_members.Values, planned.Plan).Single(p => p.Member == member).Place;
        }
        return place is null ? Task.CompletedTask : SendPlaceAsync(member, place, split);
    }

    private async Task SendPlaceAsync(GroupMember member, ReshareRequest place, int split)
    {
        place.CaseRunId = CaseRunId;
        try
        {
            using var timeout = new CancellationTokenSource(services.CallTimeout);
            if (await member.Client.ReshareAsync(place, timeout.Token))
            {
                lock (_lock)
                {
                    member.PlacedAt = Math.Max(member.PlacedAt, split);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its stream will tell whether it is gone; until then it runs its former share, and gets this one again.
            services.Logger.LogWarning("Executor {Executor} did not take its new share of case run {CaseRun}: {Error}",
                member.Id, CaseRunId, e.Message);
        }
    }

    /// <summary>Waits until every member's stream has ended (joiners' too), then says how the case run ended.</summary>
    private async Task<CaseRunEnd> EndAsync()
    {
        while (true)
        {
            Task[] streams;
            lock (_lock)
            {
                streams = [.. _streams];
            }
            await Task.WhenAll(streams);
            lock (_lock)
            {
                if (_streams.Count == streams.Length)
                {
                    break;
                }
            }
        }
        PublishEnded();
        lock (_lock)
        {
            if (run.Failure is not null)
            {
                return new CaseRunEnd(RunStatus.StoppedAbnormally, run.Failure);
            }
            if (_error is not null)
            {
                return new CaseRunEnd(RunStatus.StoppedAbnormally, _error);
            }
            if (run.StopRequested)
            {
                return new CaseRunEnd(RunStatus.StoppedByUser, null);
            }
            return _members.Values.Any(m => m.State == MemberState.Finished)
                ? new CaseRunEnd(RunStatus.Ended, null)
                : new CaseRunEnd(RunStatus.StoppedAbnormally, "no executor of the group was left to run the case: " + Describe());
        }
    }

    private string Describe() => string.Join(", ", _members.Values.OrderBy(m => m.Id, StringComparer.Ordinal)
        .Select(m => $"{m.Id} {m.State.ToString().ToLowerInvariant()}"));

    private MemberState State(GroupMember member)
    {
        lock (_lock)
        {
            return member.State;
        }
    }

    private void Fail(string error)
    {
        lock (_lock)
        {
            _error ??= error;
        }
    }

    private async Task StopQuietlyAsync(IExecutorClient executor)
    {
        try
        {
            using var timeout = new CancellationTokenSource(services.CallTimeout);
            await executor.StopAsync(CaseRunId, timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            services.Logger.LogInformation("Executor {Executor} did not take the stop of case run {CaseRun}: {Error}", executor.Id, CaseRunId, e.Message);
        }
    }

    private long NowMs() => services.Clock.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>The control plane failed while it handled an executor's second (a store error, a bug), as opposed to the stream breaking.</summary>
internal sealed class CoordinatorFailure(Exception inner) : Exception(inner.Message, inner);

/// <summary>How a case run ended: its run_status and, for 3, why.</summary>
public sealed record CaseRunEnd(int Status, string? Error);
