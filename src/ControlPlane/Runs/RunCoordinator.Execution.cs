using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Groups;
using PerfTest.Executor.Observability;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// A run as it executes: its case runs in parallel or one after the other, each on its group, and how it ends. A failure
/// of the control plane itself (a store error, a bug) fails the whole run: every executor stream is cut and every
/// executor told to stop, so no load outlives its coordinator, and the run ends 3 with the reason.
/// </summary>
public sealed partial class RunCoordinator
{
    private async Task ExecuteAsync(ActiveRun run, bool resumed)
    {
        using var scope = LogFormat.TaskRunScope(logger, run.TaskRunId);  // every line of the run carries its id
        logger.LogInformation("Task run {TaskRun} of task {Task} {Action}: {Cases} case run(s)", run.TaskRunId, run.TaskId,
            resumed ? "resumed" : "started", run.Cases.Count);
        var outcomes = new List<int>();
        try
        {
            await runs.SetTaskRunStatusAsync(run.TaskRunId, run.TaskId, run.StopRequested ? RunStatus.Stopping : RunStatus.Running, null);
            if (run.Parallel)
            {
                outcomes.AddRange(await Task.WhenAll(run.Cases.Select(c => RunCaseAsync(run, c, resumed))));
            }
            else
            {
                foreach (var c in run.Cases)
                {
                    outcomes.Add(await RunCaseAsync(run, c, resumed));
                }
            }
        }
        catch (Exception e)
        {
            Fail(run, e);
            outcomes.Add(RunStatus.StoppedAbnormally);
        }
        finally
        {
            await EndAsync(run, outcomes);
        }
    }

    /// <summary>Sets the task run's final status, as far as the store lets it, and lets the run go whatever happens.</summary>
    private async Task EndAsync(ActiveRun run, List<int> outcomes)
    {
        try
        {
            if (!run.Detached)
            {
                var status = run.Failure is not null || outcomes.Contains(RunStatus.StoppedAbnormally) ? RunStatus.StoppedAbnormally
                    : run.StopRequested ? RunStatus.StoppedByUser : RunStatus.Ended;
                await runs.SetTaskRunStatusAsync(run.TaskRunId, run.TaskId, status, ApiTime.NowMicros(clock));
                logger.LogInformation("Task run {TaskRun} ended with status {Status}", run.TaskRunId, status);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its lease lapses: a replica (or this one) takes it over, finds no executor running it, and ends it 3.
            logger.LogError(e, "The end of task run {TaskRun} could not be stored", run.TaskRunId);
        }
        finally
        {
            Release(run);
        }
    }

    /// <summary>The control plane failed while running <paramref name="run"/>: every executor stream is cut and every executor stopped.</summary>
    private void Fail(ActiveRun run, Exception e)
    {
        if (!run.Detached && run.Fail($"the control plane could not follow the run: {e.Message}"))
        {
            logger.LogError(e, "Task run {TaskRun} failed on the control plane; its executors are stopped", run.TaskRunId);
        }
    }

    private async Task<int> RunCaseAsync(ActiveRun run, PlannedCase planned, bool resumed)
    {
        using var scope = LogFormat.CaseRunScope(logger, planned.CaseRunId);
        try
        {
            return await FollowCaseAsync(run, planned, resumed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not only this case: a run whose coordinator fails stops everywhere (the others' streams are cut now).
            Fail(run, e);
            run.Groups.TryRemove(planned.CaseRunId, out _);
            await TryEndCaseAsync(planned.CaseRunId, run.Failure);
            return RunStatus.StoppedAbnormally;
        }
    }

    private async Task TryEndCaseAsync(long caseRunId, string? error)
    {
        try
        {
            await runs.SetCaseRunStatusAsync(caseRunId, RunStatus.StoppedAbnormally, endedUs: ApiTime.NowMicros(clock), error: error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "The end of case run {CaseRun} could not be stored", caseRunId);
        }
    }

    private async Task<int> FollowCaseAsync(ActiveRun run, PlannedCase planned, bool resumed)
    {
        if (resumed && !RunStatus.IsActive(planned.Status))
        {
            return planned.Status;  // ended before the takeover
        }
        if (run.Failure is not null)
        {
            await TryEndCaseAsync(planned.CaseRunId, run.Failure);  // a serial case after the run failed: it never starts
            return RunStatus.StoppedAbnormally;
        }
        if (run.StopRequested && !(resumed && planned.Status == RunStatus.Running))
        {
            await runs.SetCaseRunStatusAsync(planned.CaseRunId, RunStatus.StoppedByUser, endedUs: ApiTime.NowMicros(clock));
            return RunStatus.StoppedByUser;
        }
        var group = new CaseRunGroup(run, planned, groupServices) { Resuming = resumed && planned.Status == RunStatus.Running };
        run.Groups[planned.CaseRunId] = group;
        CaseRunEnd end;
        if (resumed && planned.Status == RunStatus.Running)
        {
            end = await ResumeCaseAsync(run, group);
        }
        else
        {
            await runs.SetCaseRunStatusAsync(planned.CaseRunId, RunStatus.Running, startedUs: ApiTime.NowMicros(clock));
            end = await group.RunAsync(await ExecutorsForAsync(run));
        }
        run.Groups.TryRemove(planned.CaseRunId, out _);
        if (run.Detached)
        {
            return RunStatus.Running;  // the control plane that takes the run over ends it
        }
        await runs.SetCaseRunStatusAsync(planned.CaseRunId, end.Status, endedUs: ApiTime.NowMicros(clock), error: end.Error);
        logger.LogInformation("Case run {CaseRun} ended with status {Status}", planned.CaseRunId, end.Status);
        return end.Status;
    }

    /// <summary>The executors a case run starts on: the embedded one, or the private group's live executors as they are now.</summary>
    private async Task<IReadOnlyList<IExecutorClient>> ExecutorsForAsync(ActiveRun run) =>
        run.IsPrivate ? (await registry.LiveAsync(run.ClusterId)).Select(e => e.Client).ToList()
            : await registry.ResolveAsync(run.Tenant, run.ClusterType, run.ClusterId);

    /// <summary>
    /// Finds the executors that still run a taken-over case run's plan, waiting up to Runs:ReattachSeconds for the first
    /// of them. Once one is back the others get the registry's dead-after time (its missed heartbeats) to show up too:
    /// a former member still away then, or back without the plan, is lost and its share goes to the others.
    /// </summary>
    private async Task<CaseRunEnd> ResumeCaseAsync(ActiveRun run, CaseRunGroup group)
    {
        var former = await changes.MembersAsync(group.CaseRunId);
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(runOptions.ReattachSeconds);
        DateTimeOffset? settled = null;
        while (run.IsPrivate)
        {
            var live = await registry.LiveAsync(run.ClusterId);
            var holders = live.Where(e => e.RunningCaseRuns.Contains(group.CaseRunId)).Select(e => e.Client).ToList();
            var now = clock.GetUtcNow();
            if (holders.Count > 0)
            {
                settled ??= now + registry.DeadAfter;
                var away = former.Where(id => live.All(e => e.Id != id)).ToList();
                if (away.Count == 0 || now >= settled)
                {
                    var gone = new List<IExecutorClient>();
                    foreach (var id in former.Where(id => holders.All(h => h.Id != id)))
                    {
                        gone.AddRange(await registry.KnownAsync(id) is { } client ? [client] : []);
                    }
                    return await group.ResumeAsync(holders, gone,
                        $"it did not come back with the plan within {registry.DeadAfter.TotalSeconds:0} s of the first executor that did, after the takeover");
                }
            }
            else if (now >= deadline)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), clock);
        }
        return new CaseRunEnd(RunStatus.StoppedAbnormally, run.IsPrivate
            ? $"the control plane that ran it went away, and no executor of private group {run.ClusterId} still ran its plan {runOptions.ReattachSeconds} s after the takeover"
            : "the control plane that ran it went away, and with it the embedded executor of the shared group");
    }
}
