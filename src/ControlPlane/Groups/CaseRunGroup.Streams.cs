using Google.Protobuf;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;

namespace PerfTest.ControlPlane.Groups;

/// <summary>The members' streams: each member's plan (or attach) followed to its final second, every second stored as it comes.</summary>
public sealed partial class CaseRunGroup
{
    private RunPlan PlanFor(int index, int count) => new()
    {
        TaskRunId = run.TaskRunId, CaseRunId = CaseRunId, Case = planned.Plan, PlanVersion = PlanContract.Version,
        ExecutorIndex = index, ExecutorCount = count, AcceptAnyCertificate = services.AcceptAnyCertificate,
    };

    /// <summary>
    /// Follows one member's stream (a Run, or an Attach when <paramref name="plan"/> is null) to its final second. A
    /// stream that breaks, or says nothing for <see cref="GroupServices.Silence"/>, is attached again once; when that
    /// fails too the member is lost.
    /// </summary>
    private async Task FollowAsync(GroupMember member, RunPlan? plan)
    {
        await Task.Yield();  // callers start it under the group's lock: return to them before any of its work
        var attach = plan is null;
        var retried = false;
        while (true)
        {
            var before = member.LastSequence;
            try
            {
                if (await ReceiveAsync(member, plan, attach))
                {
                    return;
                }
                throw new IOException("its stream ended before its final second");
            }
            catch (CoordinatorFailure e) when (!run.Detached)
            {
                run.Fail($"the control plane could not follow the case run: {e.InnerException!.Message}");
                services.Logger.LogError(e.InnerException, "Case run {CaseRun} failed on the control plane; its executors are stopped", CaseRunId);
                await StopQuietlyAsync(member.Client);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (run.Failure is not null)
                {
                    await StopQuietlyAsync(member.Client);  // the run failed (its streams were cut): no load without a coordinator
                    return;
                }
                if (run.StopRequested && run.Abort.IsCancellationRequested || run.Detached || State(member) != MemberState.Running)
                {
                    return;  // cut after a stop's grace, left to another control plane, or already counted lost: what it sent is stored
                }
                if (!retried || member.LastSequence > before)
                {
                    retried = true;
                    attach = true;
                    services.Logger.LogWarning("The stream of executor {Executor} for case run {CaseRun} broke ({Error}); attaching again",
                        member.Id, CaseRunId, e.Message);
                    continue;
                }
                await LoseAsync(member.Id, e is KeyNotFoundException ? "its plan no longer runs there" : e.Message);
                return;
            }
        }
    }

    /// <summary>Reads one stream; true when it delivered the final second (or a refusal that ends the case run).</summary>
    private async Task<bool> ReceiveAsync(GroupMember member, RunPlan? plan, bool attach)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(run.Abort.Token, run.Detach.Token, member.Cut.Token);
        // The first second may wait for the executor's warm-up and the plan's compilation; later ones come every second.
        silence.CancelAfter(member.LastSequence == 0 ? services.FirstSecondTimeout : services.Silence);
        var stream = attach
            ? member.Client.AttachAsync(new AttachRequest { CaseRunId = CaseRunId, AfterSequence = member.LastSequence }, silence.Token)
            : member.Client.RunAsync(plan!, silence.Token);
        await foreach (var second in stream)
        {
            silence.CancelAfter(services.Silence);
            try
            {
                if (await TakeAsync(member, second))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new CoordinatorFailure(e);
            }
        }
        return false;
    }

    /// <summary>Stores one second and acts on it; true when it ends the member's stream. Any exception is the control plane's own.</summary>
    private async Task<bool> TakeAsync(GroupMember member, SecondSnapshot second)
    {
        if (second.Error.Length > 0)
        {
            Fail($"executor {member.Id}: {second.Error}");
            return true;
        }
        if (services.Seconds.Refusal(second.UnixSecond) is { } outOfTime)
        {
            Fail($"executor {member.Id}: {outOfTime}");
            await StopQuietlyAsync(member.Client);
            return true;
        }
        if (second.MetricKeys.Count > 0 && await services.Keys.DeclareAsync(run, CaseRunId, member.Id, second.MetricKeys) is { } mismatch)
        {
            Fail(mismatch);
            await StopQuietlyAsync(member.Client);
            return true;
        }
        second.MetricKeys.Clear();  // kept once, with the case run; not in every stored second
        var fresh = second.Sequence > member.LastSequence;  // a replayed second is stored once, and counted once
        await services.Runs.AddSecondsAsync(CaseRunId, [new RunSecondRow
        {
            Executor = member.Id, UnixSecond = second.UnixSecond, StageIndex = second.StageIndex,
            Vusers = second.VirtualUsers, Snapshot = second.ToByteArray(), Sequence = second.Sequence,
        }]);
        lock (_lock)
        {
            member.Saw(second);
        }
        if (fresh)
        {
            services.Metrics.Stored(run, CaseRunId, member.Id, second);
        }
        PublishMembers();
        await JoinedAsync(member);
        await CatchUpAsync(member);
        if (second.Final)
        {
            await FinishedAsync(member, second);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A member sent its final second. When its stages ended by a stop nobody here asked for, it was stopped on its
    /// side (drained on shutdown before its leave was heard): the others take its share as for a drain.
    /// </summary>
    private async Task FinishedAsync(GroupMember member, SecondSnapshot final)
    {
        var stoppedThere = !run.StopRequested && final.StageEnds.Any(e => e.EndedBy == "stop");
        if (stoppedThere)
        {
            await DrainAsync(member.Id, "it stopped its plan before the case run's end");
            return;
        }
        lock (_lock)
        {
            if (member.State == MemberState.Running)
            {
                member.State = MemberState.Finished;
            }
        }
    }
}
