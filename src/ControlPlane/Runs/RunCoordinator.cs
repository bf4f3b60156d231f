using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Google.Protobuf;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Targets;
using PerfTest.ControlPlane.Tasks;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Starts and stops task runs: compiles each case, runs it on the chosen resource group (<see cref="CaseRunGroup"/>:
/// each executor its share, taken over by the others when one leaves), and sets the documented statuses: 9 waiting,
/// 0 running, 2 ended, 5 stopping, 4 stopped by the user, 3 stopped abnormally (a bad plan, a group left with no
/// executor). Each run it owns holds a lease in the database (<see cref="RunLeaseService"/>), so a stop or a level
/// asked of another replica reaches it, and a replica takes it over when this one is gone.
/// </summary>
public sealed partial class RunCoordinator(RunStore runs, RunLeaseStore leases, GroupChangeStore changes, TaskStore tasks, CaseStore cases,
    TemplateStore templates, VariableStore variables, ExecutorRegistry registry, ExecutorsOptions options, RunsOptions runOptions,
    GroupServices groupServices, TargetPolicies targets, Quotas.RunQuota quota, TimeProvider clock, ILogger<RunCoordinator> logger) : IDisposable
{
    /// <summary>After a stop, executors get this long to drain before their streams are cut.</summary>
    public static readonly TimeSpan StopHardLimit = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();

    /// <summary>One start at a time past the tenant quota: two starts at once would each count without the other.</summary>
    private readonly SemaphoreSlim _starting = new(1, 1);
    private volatile bool _leaving;

    /// <summary>The runs this control plane owns now.</summary>
    public IReadOnlyCollection<ActiveRun> Owned => [.. _active.Values];

    /// <summary>Checks and reserves a start; the run begins with <see cref="BeginAsync"/>.</summary>
    public async Task<ActiveRun> PrepareAsync(string tenant, long taskId, string? clusterType, long clusterId)
    {
        var task = await tasks.GetAsync(tenant, taskId) ?? throw ApiException.NotFound("task", taskId);
        // Refuses a group the project may not use, or one with no executor; each case run starts on the group as it is then.
        await registry.ResolveAsync(tenant, clusterType, clusterId);
        var caseRows = (await cases.ListByTaskAsync(tenant, taskId))
            .Where(c => CaseDocument.Status(c) == 1).ToList();
        if (caseRows.Count == 0)
        {
            throw ApiException.BadRequest($"task {taskId} has no enabled case to run");
        }
        if (await leases.ActiveOfTaskAsync(tenant, taskId) is { } running)
        {
            throw ApiException.Conflict($"task {taskId} is already running (task_run_id {running.Id}); stop it first");
        }
        var parallel = ApiJson.ParseObject(task.Doc)["parallel"] is JsonValue p && p.TryGetValue(out bool b) ? b : true;
        var plans = new List<PlannedCase>();
        foreach (var row in caseRows)
        {
            var plan = await CasePlanner.BuildAsync(tenant, row, task.ProjectId, templates, variables, options.AcceptAnyCertificate, targets.For(tenant));
            plans.Add(new PlannedCase(0, row.Id, row.Name, plan));
        }
        await _starting.WaitAsync();
        try
        {
            var peak = await quota.CheckStartAsync(tenant, taskId, parallel, caseRows, Owned);
            var run = new ActiveRun(tenant, taskId, parallel, clusterType!, clusterId) { PeakVus = peak };
            run.Cases.AddRange(plans);
            return _active.TryAdd(taskId, run)
                ? run
                : throw ApiException.Conflict($"task {taskId} is already running (task_run_id {_active[taskId].TaskRunId}); stop it first");
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Creates the task run (owned by this control plane) and its case runs, then runs them in the background.</summary>
    public async Task<long> BeginAsync(ActiveRun run, string clusterType, long clusterId)
    {
        try
        {
            var now = ApiTime.NowMicros(clock);
            var caseRuns = run.Cases.Select(c => new CaseRunRow
            {
                CaseId = c.CaseId, CaseName = c.Name, RunStatus = RunStatus.Waiting, Plan = JsonFormatter.Default.Format(c.Plan),
            }).ToList();
            var task = (await tasks.GetAsync(run.Tenant, run.TaskId))!;
            var (taskRunId, caseRunIds) = await runs.CreateAsync(run.Tenant, new TaskRunRow
            {
                TaskId = run.TaskId, ProjectId = task.ProjectId, RunStatus = RunStatus.Waiting, ClusterType = clusterType,
                ClusterId = clusterId, StartedUs = now, Owner = runOptions.Owner, LeaseUntilUs = now + LeaseMicros,
                Doc = new JsonObject
                {
                    ["name"] = task.Name, ["parallel"] = run.Parallel, ["edition"] = task.Edition, [Quotas.RunQuota.PeakVusMember] = run.PeakVus,
                }.ToJsonString(),
            }, caseRuns);
            run.TaskRunId = taskRunId;
            for (var i = 0; i < run.Cases.Count; i++)
            {
                run.Cases[i] = run.Cases[i] with { CaseRunId = caseRunIds[i] };
            }
            // Without the starting request's context: the run outlives it, and its log lines carry the run's ids, not the
            // request's (trace, connection and path scopes).
            using (ExecutionContext.SuppressFlow())
            {
                run.Execution = Task.Run(() => ExecuteAsync(run, resumed: false));
            }
            return taskRunId;
        }
        catch
        {
            Release(run);
            throw;
        }
    }

    /// <summary>Drops a prepared run that will not begin (another task of its batch failed a check).</summary>
    public void Release(ActiveRun run)
    {
        _active.TryRemove(new KeyValuePair<long, ActiveRun>(run.TaskId, run));
        run.Dispose();
    }

    /// <summary>Ends a run that has begun and must not go on (its batch failed): its executors stop, it ends 3 with <paramref name="reason"/>.</summary>
    public async Task AbandonAsync(ActiveRun run, string reason)
    {
        run.Fail(reason);
        await (run.Execution ?? Task.CompletedTask);
    }

    /// <summary>Whether the task has an active run on any replica.</summary>
    public async Task<bool> IsRunningAsync(string tenant, long taskId) =>
        _active.TryGetValue(taskId, out var run) && run.Tenant == tenant || await leases.ActiveOfTaskAsync(tenant, taskId) is not null;

    /// <summary>
    /// Refuses to delete a task that runs: its run could no longer be stopped through the API, and its executors would
    /// send load to the end of the stage.
    /// </summary>
    /// <exception cref="ApiException">Conflict, naming the task and its run.</exception>
    public async Task EnsureNotRunningAsync(string tenant, long taskId)
    {
        if (await leases.ActiveOfTaskAsync(tenant, taskId) is { } row)
        {
            throw ApiException.Conflict($"task {taskId} is running (task_run_id {row.Id}); stop it before deleting it");
        }
        if (_active.TryGetValue(taskId, out var run) && run.Tenant == tenant)
        {
            throw ApiException.Conflict($"task {taskId} is starting; stop it before deleting it");
        }
    }

    /// <summary>As <see cref="EnsureNotRunningAsync"/> for every task of a project.</summary>
    public async Task EnsureProjectNotRunningAsync(string tenant, long projectId)
    {
        if (await leases.ActiveOfProjectAsync(tenant, projectId) is [var row, ..])
        {
            throw ApiException.Conflict($"task {row.TaskId} of project {projectId} is running (task_run_id {row.Id}); stop it before deleting the project");
        }
    }

    /// <summary>Stops the task's run: here when this control plane owns it, else through the database (its owner sees it within a second).</summary>
    public async Task<long> StopAsync(string tenant, long taskId)
    {
        if (_active.TryGetValue(taskId, out var run) && run.Tenant == tenant && run.TaskRunId != 0)
        {
            await StopOwnedAsync(run);
            return run.TaskRunId;
        }
        var elsewhere = await leases.ActiveOfTaskAsync(tenant, taskId) ?? throw ApiException.Conflict($"task {taskId} is not running");
        await leases.RequestStopAsync(elsewhere.Id, taskId);
        return elsewhere.Id;
    }

    /// <summary>Stops a run this control plane owns: every executor of every running case run drains.</summary>
    public async Task StopOwnedAsync(ActiveRun run)
    {
        if (run.StopRequested)
        {
            return;
        }
        run.RequestStop(StopHardLimit);
        await runs.SetTaskRunStatusAsync(run.TaskRunId, run.TaskId, RunStatus.Stopping, null);
        await Task.WhenAll(run.Groups.Values.Select(g => g.StopAsync()));
    }

    /// <summary>
    /// Manual regulation: sends <paramref name="totalLevel"/> (the whole stage's VUs or iterations per second, all
    /// executors together) to every executor of the task run, for each of its running case runs, or only for
    /// <paramref name="caseRunId"/>; each executor runs its share of it when its running stage is manually regulated.
    /// Works from any replica: one that does not own the run finds the executors through the database.
    /// Returns the case runs whose running stage took it on at least one executor (empty when none did).
    /// </summary>
    /// <exception cref="ApiException">Conflict: the tenant has no such task run running.</exception>
    public async Task<List<long>> SetLevelAsync(string tenant, long taskRunId, long? caseRunId, int totalLevel)
    {
        var targets = await LevelTargetsAsync(tenant, taskRunId);
        var applied = new List<long>();
        foreach (var (running, executors) in targets.Where(t => caseRunId is null || t.CaseRunId == caseRunId))
        {
            var replies = await Task.WhenAll(executors.Select(e => e.SetLevelAsync(running, totalLevel, CancellationToken.None)));
            if (replies.Any(r => r))
            {
                applied.Add(running);
            }
        }
        return applied;
    }

    private async Task<List<(long CaseRunId, IReadOnlyList<IExecutorClient> Executors)>> LevelTargetsAsync(string tenant, long taskRunId)
    {
        if (_active.Values.FirstOrDefault(r => r.Tenant == tenant && r.TaskRunId == taskRunId) is { } owned)
        {
            return owned.Groups.Values.Select(g => (g.CaseRunId, g.Running)).ToList();
        }
        var row = await runs.GetTaskRunAsync(tenant, taskRunId);
        if (row is null || !RunStatus.IsActive(row.RunStatus) || row.ClusterType != ExecutorRegistry.Private)
        {
            throw ApiException.Conflict($"task run {taskRunId} is not running");
        }
        var live = await registry.LiveAsync(row.ClusterId);
        var targets = new List<(long, IReadOnlyList<IExecutorClient>)>();
        foreach (var caseRun in (await runs.ListCaseRunsAsync(tenant, taskRunId)).Where(c => c.RunStatus == RunStatus.Running))
        {
            var members = (await changes.MembersAsync(caseRun.Id)).ToHashSet(StringComparer.Ordinal);
            targets.Add((caseRun.Id, live.Where(e => members.Contains(e.Id)).Select(e => e.Client).ToList()));
        }
        return targets;
    }

    /// <summary>Waits for the task's running run, if any, to finish (for tests); completed at once when none runs here.</summary>
    public Task WaitAsync(long taskId) => _active.TryGetValue(taskId, out var run) && run.Execution is { } t ? t : Task.CompletedTask;

    /// <summary>An executor drained on shutdown: the case runs it ran here hand its share to the others.</summary>
    public Task ExecutorLeftAsync(string executorId) =>
        Task.WhenAll(_active.Values.SelectMany(r => r.Groups.Values).Where(g => g.Has(executorId))
            .Select(g => g.DrainAsync(executorId, "it left the group on shutdown")));

    /// <summary>
    /// Brings the groups of the private runs owned here in line with the live executors: one that joined the resource
    /// group takes its share, one that still runs a plan it was not attached to (back after a restart) is attached,
    /// one that left through another replica is drained.
    /// </summary>
    public async Task SyncGroupsAsync()
    {
        foreach (var run in _active.Values.Where(r => r.IsPrivate && r.TaskRunId != 0 && !r.StopRequested && !r.Detached))
        {
            var live = await registry.LiveAsync(run.ClusterId);
            var liveIds = live.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var group in run.Groups.Values)
            {
                // One that left through another replica drains here. One that only missed heartbeats is judged by its
                // stream (silent or broken, and no re-attach): after a control-plane restart heartbeats lapse while the
                // executors run on, and they register again.
                foreach (var gone in group.Running.Where(e => !liveIds.Contains(e.Id)).ToList())
                {
                    if (await registry.HasLeftAsync(gone.Id))
                    {
                        await group.DrainAsync(gone.Id, "it left the group on shutdown");
                    }
                }
                foreach (var other in live.Where(e => !group.Has(e.Id)))
                {
                    // One that runs the plan already came back to this control plane (attach); another joins.
                    await (other.RunningCaseRuns.Contains(group.CaseRunId) ? group.AdoptAsync(other.Client) : group.JoinAsync(other.Client));
                }
            }
        }
    }

    /// <summary>
    /// Takes over a run whose owner's lease expired (or that this control plane owned before it restarted): its case
    /// runs that were running are re-attached on the executors that still run their plans, the others run as planned.
    /// </summary>
    public async Task TakeOverAsync(LeasedRunRow leased)
    {
        if (_leaving)
        {
            return;  // shutting down: the run is for another control plane
        }
        var row = await runs.GetTaskRunAsync(leased.Tenant, leased.Id);
        if (row is null || _active.ContainsKey(row.TaskId))
        {
            return;
        }
        var doc = ApiJson.ParseObject(row.Doc);
        var parallel = doc["parallel"] is JsonValue p && p.TryGetValue(out bool b) ? b : true;
        var run = new ActiveRun(leased.Tenant, row.TaskId, parallel, row.ClusterType, row.ClusterId) { TaskRunId = row.Id };
        foreach (var c in await runs.ListCaseRunsAsync(leased.Tenant, row.Id))
        {
            run.Cases.Add(new PlannedCase(c.Id, c.CaseId, c.CaseName, CasePlan.Parser.ParseJson(c.Plan), c.RunStatus));
        }
        if (!_active.TryAdd(run.TaskId, run))
        {
            run.Dispose();
            return;
        }
        logger.LogWarning("Took over task run {TaskRun} (owner was {Owner})", row.Id, leased.Owner ?? "none");
        if (leased.StopRequested == 1)
        {
            run.RequestStop(StopHardLimit);
        }
        run.Execution = Task.Run(() => ExecuteAsync(run, resumed: true));
    }

    /// <summary>
    /// This control plane is shutting down (a rolling update, a restart): every run it owns is left as it is, running on
    /// its executors (orphaned, for their Executor:OrphanGraceSeconds), with its lease given up so that another replica,
    /// or this one restarted, takes it over at once. Waits until the runs let go.
    /// </summary>
    public async Task DetachAllAsync()
    {
        _leaving = true;
        var owned = _active.Values.Where(r => r.TaskRunId != 0).ToList();
        foreach (var run in owned)
        {
            await run.Detach.CancelAsync();
        }
        await leases.ReleaseAsync(runOptions.Owner, owned.Select(r => r.TaskRunId).ToList());
        await Task.WhenAll(owned.Select(r => r.Execution ?? Task.CompletedTask));
        if (owned.Count > 0)
        {
            logger.LogWarning("Shutting down: left task runs {TaskRuns} running on their executors for another control plane to take over",
                string.Join(", ", owned.Select(r => r.TaskRunId)));
        }
    }

    public void Dispose() => _starting.Dispose();

    private long LeaseMicros => runOptions.LeaseSeconds * 1_000_000L;
}
