using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Tasks;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Starts and stops task runs: compiles each case, sends its plan to every executor of the
/// chosen resource group (each runs its share), persists the seconds they stream back as they
/// arrive, and sets the documented statuses: 9 waiting, 0 running, 2 ended, 5 stopping,
/// 4 stopped by the user, 3 stopped abnormally (a bad plan, a lost executor).
/// </summary>
public sealed class RunCoordinator(RunStore runs, TaskStore tasks, CaseStore cases, TemplateStore templates, VariableStore variables,
    ExecutorRegistry registry, ExecutorsOptions options, TimeProvider clock, ILogger<RunCoordinator> logger)
{
    /// <summary>After a stop, executors get this long to drain before their streams are cut.</summary>
    public static readonly TimeSpan StopHardLimit = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();

    public bool IsRunning(long taskId) => _active.ContainsKey(taskId);

    /// <summary>Checks and reserves a start; the run begins with <see cref="BeginAsync"/>.</summary>
    public async Task<ActiveRun> PrepareAsync(string tenant, long taskId, string? clusterType, long clusterId)
    {
        var task = await tasks.GetAsync(tenant, taskId) ?? throw ApiException.NotFound("task", taskId);
        var executors = registry.Resolve(tenant, clusterType, clusterId);
        var caseRows = (await cases.ListByTaskAsync(tenant, taskId))
            .Where(c => CaseDocument.Status(c) == 1).ToList();
        if (caseRows.Count == 0)
        {
            throw ApiException.BadRequest($"task {taskId} has no enabled case to run");
        }
        var parallel = ApiJson.ParseObject(task.Doc)["parallel"] is JsonValue p && p.TryGetValue(out bool b) ? b : true;
        var run = new ActiveRun(tenant, taskId, parallel, executors);
        foreach (var row in caseRows)
        {
            var plan = await CasePlanner.BuildAsync(tenant, row, task.ProjectId, templates, variables, options.AcceptAnyCertificate);
            run.Cases.Add(new PlannedCase(0, row.Id, row.Name, plan));
        }
        return _active.TryAdd(taskId, run)
            ? run
            : throw ApiException.Conflict($"task {taskId} is already running (task_run_id {_active[taskId].TaskRunId}); stop it first");
    }

    /// <summary>Creates the task run and its case runs, then runs them in the background.</summary>
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
                ClusterId = clusterId, StartedUs = now, Doc = JsonSerializer.Serialize(new { name = task.Name, parallel = run.Parallel, edition = task.Edition }),
            }, caseRuns);
            run.TaskRunId = taskRunId;
            for (var i = 0; i < run.Cases.Count; i++)
            {
                run.Cases[i] = run.Cases[i] with { CaseRunId = caseRunIds[i] };
            }
            run.Execution = Task.Run(() => ExecuteAsync(run));
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

    public async Task<long> StopAsync(string tenant, long taskId)
    {
        if (!_active.TryGetValue(taskId, out var run) || run.Tenant != tenant || run.TaskRunId == 0)
        {
            throw ApiException.Conflict($"task {taskId} is not running");
        }
        run.RequestStop(StopHardLimit);
        await runs.SetTaskRunStatusAsync(run.TaskRunId, taskId, RunStatus.Stopping, null);
        foreach (var caseRunId in run.Running.Keys)
        {
            foreach (var executor in run.Executors)
            {
                try
                {
                    await executor.StopAsync(caseRunId, CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Executor {Executor} did not take the stop of case run {CaseRun}", executor.Id, caseRunId);
                }
            }
        }
        return run.TaskRunId;
    }

    /// <summary>
    /// Manual regulation: sends <paramref name="totalLevel"/> (the whole stage's VUs or iterations per second, all
    /// executors together) to every executor of the task run, for each of its running case runs, or only for
    /// <paramref name="caseRunId"/>; each executor runs its share of it when its running stage is manually regulated.
    /// Returns the case runs whose running stage took it on at least one executor (empty when none did).
    /// </summary>
    /// <exception cref="ApiException">Conflict: the tenant has no such task run running.</exception>
    public async Task<List<long>> SetLevelAsync(string tenant, long taskRunId, long? caseRunId, int totalLevel)
    {
        var run = _active.Values.FirstOrDefault(r => r.Tenant == tenant && r.TaskRunId == taskRunId)
            ?? throw ApiException.Conflict($"task run {taskRunId} is not running");
        var applied = new List<long>();
        foreach (var running in run.Running.Keys.Where(id => caseRunId is null || id == caseRunId))
        {
            var replies = await Task.WhenAll(run.Executors.Select(e => e.SetLevelAsync(running, totalLevel, CancellationToken.None)));
            if (replies.Any(r => r))
            {
                applied.Add(running);
            }
        }
        return applied;
    }

    /// <summary>Waits for the task's running run, if any, to finish (for tests); completed at once when none runs.</summary>
    public Task WaitAsync(long taskId) => _active.TryGetValue(taskId, out var run) && run.Execution is { } t ? t : Task.CompletedTask;

    private async Task ExecuteAsync(ActiveRun run)
    {
        var outcomes = new List<int>();
        try
        {
            await runs.SetTaskRunStatusAsync(run.TaskRunId, run.TaskId, RunStatus.Running, null);
            if (run.Parallel)
            {
                outcomes.AddRange(await Task.WhenAll(run.Cases.Select(c => RunCaseAsync(run, c))));
            }
            else
            {
                foreach (var c in run.Cases)
                {
                    outcomes.Add(await RunCaseAsync(run, c));
                }
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Task run {TaskRun} failed", run.TaskRunId);
            outcomes.Add(RunStatus.StoppedAbnormally);
        }
        finally
        {
            var status = run.StopRequested ? RunStatus.StoppedByUser
                : outcomes.Contains(RunStatus.StoppedAbnormally) ? RunStatus.StoppedAbnormally : RunStatus.Ended;
            await runs.SetTaskRunStatusAsync(run.TaskRunId, run.TaskId, status, ApiTime.NowMicros(clock));
            Release(run);
        }
    }

    private async Task<int> RunCaseAsync(ActiveRun run, PlannedCase planned)
    {
        if (run.StopRequested)
        {
            await runs.SetCaseRunStatusAsync(planned.CaseRunId, RunStatus.StoppedByUser, endedUs: ApiTime.NowMicros(clock));
            return RunStatus.StoppedByUser;
        }
        run.Running[planned.CaseRunId] = 0;
        await runs.SetCaseRunStatusAsync(planned.CaseRunId, RunStatus.Running, startedUs: ApiTime.NowMicros(clock));
        var errors = await Task.WhenAll(run.Executors.Select((executor, index) => StreamAsync(run, planned, executor, index)));
        run.Running.TryRemove(planned.CaseRunId, out _);
        var error = errors.FirstOrDefault(e => e is not null);
        var status = error is not null ? RunStatus.StoppedAbnormally : run.StopRequested ? RunStatus.StoppedByUser : RunStatus.Ended;
        await runs.SetCaseRunStatusAsync(planned.CaseRunId, status, endedUs: ApiTime.NowMicros(clock), error: error);
        return status;
    }

    /// <summary>
    /// Keeps the metric keys the first executor of a case run declared, and checks every other executor's against
    /// them: executors that compiled the plan differently would otherwise add up different cards under one key.
    /// Returns the error that ends the case run, or null.
    /// </summary>
    private async Task<string?> DeclareKeysAsync(ActiveRun run, long caseRunId, string executorId, IReadOnlyList<MetricKey> keys)
    {
        var declared = run.DeclaredKeys.GetOrAdd(caseRunId, (executorId, [.. keys]));
        if (declared.Executor == executorId)
        {
            await runs.SetCaseRunKeysAsync(caseRunId, ReportKeys.Serialize(keys));
            return null;
        }
        return ReportKeys.Same(declared.Keys, keys) ? null
            : $"executor {executorId} measures other metric keys than executor {declared.Executor} for the same plan " +
              $"({ReportKeys.Describe(keys)} against {ReportKeys.Describe(declared.Keys)}): are they different PerfTest versions?";
    }

    /// <summary>Runs the plan on one executor, persisting each second as it arrives; returns an error or null.</summary>
    private async Task<string?> StreamAsync(ActiveRun run, PlannedCase planned, IExecutorClient executor, int index)
    {
        var plan = new RunPlan
        {
            TaskRunId = run.TaskRunId, CaseRunId = planned.CaseRunId, Case = planned.Plan, PlanVersion = PlanContract.Version,
            ExecutorIndex = index, ExecutorCount = run.Executors.Count, AcceptAnyCertificate = options.AcceptAnyCertificate,
        };
        try
        {
            await foreach (var second in executor.RunAsync(plan, run.Abort.Token))
            {
                if (second.Error.Length > 0)
                {
                    return $"executor {executor.Id}: {second.Error}";
                }
                if (second.MetricKeys.Count > 0 && await DeclareKeysAsync(run, planned.CaseRunId, executor.Id, second.MetricKeys) is { } mismatch)
                {
                    return mismatch;
                }
                second.MetricKeys.Clear();  // kept once, with the case run; not in every stored second
                await runs.AddSecondAsync(planned.CaseRunId, new RunSecondRow
                {
                    Executor = executor.Id, UnixSecond = second.UnixSecond, StageIndex = second.StageIndex,
                    Vusers = second.VirtualUsers, Snapshot = second.ToByteArray(),
                });
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (run.StopRequested && run.Abort.IsCancellationRequested)
            {
                return null; // cut after the stop's grace period: stopped by the user, not lost
            }
            logger.LogWarning(e, "Executor {Executor} was lost during case run {CaseRun}", executor.Id, planned.CaseRunId);
            return $"executor {executor.Id} was lost: {e.Message}";
        }
    }
}
