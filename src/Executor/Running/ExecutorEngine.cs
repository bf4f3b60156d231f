using System.Collections.Concurrent;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Observability;
using PerfTest.Executor.Streaming;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs plans on this executor and stops them on request. A stop first drains (no new
/// request starts; requests in flight finish and are counted), then after
/// <see cref="StopGrace"/> cancels whatever is still in flight, so a stop always ends promptly.
/// A plan is not bound to the stream that started it: it posts its snapshots into an outbox, and when that stream
/// breaks (the control plane died) it runs on, orphaned, for <see cref="EngineOptions.OrphanGrace"/>, until a control
/// plane attaches again (<see cref="AttachAsync"/>) or the grace is over (its load stops at once).
/// </summary>
/// <param name="clock">The time.</param>
/// <param name="options">Orphan grace and outbox size.</param>
/// <param name="logger">Where it logs.</param>
/// <param name="metrics">A standalone executor's /metrics, fed every second a plan posts; none when embedded in the control plane.</param>
public sealed class ExecutorEngine(TimeProvider clock, EngineOptions? options = null, ILogger<ExecutorEngine>? logger = null,
    ExecutorMetrics? metrics = null)
{
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly EngineOptions _options = options ?? new EngineOptions();
    private readonly ConcurrentDictionary<long, RunningPlan> _running = new();
    private readonly Dictionary<long, (VariableCursorRegistry Registry, int Plans)> _sharedVariables = [];

    public int RunningCount => _running.Count;

    /// <summary>The case runs whose plans run here, orphaned ones included (as registration and heartbeats report them).</summary>
    public IReadOnlyList<long> RunningCaseRuns => [.. _running.Keys.Order()];

    /// <summary>Completes when the warm-up is over; plans start after it.</summary>
    public Task Ready { get; private set; } = Task.CompletedTask;

    public void StartWarmUp(TimeSpan budget) => Ready = Task.Run(async () =>
    {
        try
        {
            await WarmUp.RunAsync(budget);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A warm-up that fails only leaves the first seconds slower; runs go on.
        }
    });

    /// <summary>
    /// Starts a plan and streams its snapshots to <paramref name="emit"/> until the final. Returns early when
    /// <paramref name="cancellationToken"/> is cancelled or <paramref name="emit"/> fails (the stream broke: the plan
    /// runs on, orphaned) or when an Attach took the plan's stream over.
    /// </summary>
    public async Task RunAsync(RunPlan plan, Func<SecondSnapshot, Task> emit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var running = new RunningPlan(plan.CaseRunId, _options.KeptSnapshots, _options.OutboxMaxBytes, OutboxFull);
        if (!_running.TryAdd(plan.CaseRunId, running))
        {
            await emit(new SecondSnapshot { Final = true, Error = $"case run {plan.CaseRunId} is already running on this executor" });
            return;
        }
        var runner = new PlanRunner(plan, clock, AcquireSharedVariables(plan.TaskRunId));
        running.Runner = runner;
        // Without the caller's execution context: the plan outlives the call, and the gRPC call's context (activity,
        // logging scopes: async locals) would otherwise be captured and restored at every await of every VU.
        using (ExecutionContext.SuppressFlow())
        {
            running.Completion = Task.Run(() => RunPlanAsync(plan, running, runner), CancellationToken.None);
        }
        await StreamAsync(running, 0, emit, cancellationToken);
    }

    /// <summary>
    /// Re-attaches a stream to a running or orphaned plan: writes its kept snapshots with a sequence above
    /// <paramref name="afterSequence"/>, then the live ones until the final (or until this stream breaks or a newer
    /// Attach takes over).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The case run does not run here (any more).</exception>
    public Task AttachAsync(long caseRunId, long afterSequence, Func<SecondSnapshot, Task> emit, CancellationToken cancellationToken) =>
        _running.TryGetValue(caseRunId, out var running)
            ? StreamAsync(running, afterSequence, emit, cancellationToken)
            : throw new KeyNotFoundException($"case run {caseRunId} does not run on this executor");

    /// <summary>
    /// Moves this executor's place in the case run's group (<see cref="PlanRunner.Reshare"/>); false when the case run
    /// does not run here.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">executor_count is below 1, or executor_index is negative or not below it.</exception>
    public bool Reshare(ReshareRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_running.TryGetValue(request.CaseRunId, out var running) || running.Runner is not { } runner)
        {
            return false;
        }
        runner.Reshare(request.ExecutorIndex, request.ExecutorCount, request.StageIndex,
            request.HasStageIterations ? request.StageIterations : null);
        logger?.LogInformation("Case run {CaseRun}: this executor is now {Index} of {Count}", request.CaseRunId,
            request.ExecutorIndex, request.ExecutorCount);
        return true;
    }

    /// <summary>
    /// Stops every plan (drained, as <see cref="Stop"/>) and waits until each is over and its final was written to its
    /// stream, or it has no stream to write to; <paramref name="cancellationToken"/> bounds the wait.
    /// </summary>
    public async Task DrainAllAsync(CancellationToken cancellationToken)
    {
        var plans = _running.Values.ToList();
        foreach (var plan in plans)
        {
            Stop(plan.CaseRunId);
        }
        foreach (var plan in plans)
        {
            await plan.Completion.WaitAsync(cancellationToken);
            if (plan.IsAttached)
            {
                await plan.Delivered.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Runs the plan into its outbox; a plan that fails unexpectedly still posts a final, saying why.</summary>
    private async Task RunPlanAsync(RunPlan plan, RunningPlan running, PlanRunner runner)
    {
        try
        {
            try
            {
                await Ready.WaitAsync(running.Drain.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped during the warm-up: the runner below sees the drain and reports an empty run.
            }
            await runner.RunAsync(s =>
            {
                metrics?.Observe(plan, s);
                running.Outbox.Post(s);
                return Task.CompletedTask;
            }, running.Drain.Token, running.Abort.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger?.LogError(e, "Case run {CaseRun} failed on this executor", plan.CaseRunId);
            if (!running.Outbox.FinalPosted)
            {
                running.Outbox.Post(new SecondSnapshot
                {
                    UnixSecond = clock.GetUtcNow().ToUnixTimeSeconds(), StageIndex = -1, Final = true,
                    Sequence = running.Outbox.LastSequence + 1, Error = "the plan failed on this executor: " + e.Message,
                });
            }
        }
        finally
        {
            running.Runner = null;
            runner.Dispose();
            ReleaseSharedVariables(plan.TaskRunId);
        }
    }

    /// <summary>Writes the plan's snapshots to one stream; when that breaks and no other stream has the plan, it is orphaned.</summary>
    private async Task StreamAsync(RunningPlan running, long afterSequence, Func<SecondSnapshot, Task> emit, CancellationToken cancellationToken)
    {
        running.Attaching();
        var end = await running.Outbox.SubscribeAsync(afterSequence, emit, cancellationToken);
        if (end == SubscriptionEnd.Delivered)
        {
            running.Detached(end);
            _running.TryRemove(KeyValuePair.Create(running.CaseRunId, running));
            return;
        }
        if (!running.Detached(end))
        {
            return;
        }
        var grace = _options.OrphanGrace;
        logger?.LogWarning("Case run {CaseRun}: its stream broke; the plan runs on, orphaned, for {Grace} s until a control plane attaches",
            running.CaseRunId, grace.TotalSeconds);
        if (grace <= TimeSpan.Zero)
        {
            Expire(running);
            return;
        }
        running.StartGrace(clock, grace, () => Expire(running));
    }

    /// <summary>No control plane attached within the grace: the plan's load stops at once and the plan is dropped.</summary>
    private void Expire(RunningPlan running)
    {
        logger?.LogWarning("Case run {CaseRun}: no control plane attached within {Grace} s of its stream breaking; stopping its load at once",
            running.CaseRunId, _options.OrphanGrace.TotalSeconds);
        running.AbortNow();
        _running.TryRemove(KeyValuePair.Create(running.CaseRunId, running));
    }

    /// <summary>
    /// The plan's unsent seconds outgrew Executor:OutboxMaxMegabytes: its load stops at once (its final, which the outbox
    /// still takes, says <see cref="PlanOutbox.FullReason"/>) rather than seconds being dropped.
    /// </summary>
    private void OutboxFull(RunningPlan running)
    {
        logger?.LogError("Case run {CaseRun}: {Error}", running.CaseRunId, running.Outbox.FullError);
        running.AbortNow();
    }

    /// <summary>
    /// Manual regulation (voltage_regulating_mode 1): sets the whole-stage level (VUs or TPS, all executors
    /// together) of the case run's running stage; false when it does not run here or is not manual.
    /// </summary>
    public bool SetLevel(long caseRunId, int totalLevel) =>
        _running.TryGetValue(caseRunId, out var running) && running.Runner is { } runner && runner.SetManualLevel(totalLevel);

    /// <summary>share_mode 1 variables: one set of cursors for all the cases of a task run on this executor.</summary>
    private VariableCursorRegistry AcquireSharedVariables(long taskRunId)
    {
        lock (_sharedVariables)
        {
            var entry = _sharedVariables.TryGetValue(taskRunId, out var found) ? found : (Registry: new VariableCursorRegistry(), Plans: 0);
            _sharedVariables[taskRunId] = (entry.Registry, entry.Plans + 1);
            return entry.Registry;
        }
    }

    private void ReleaseSharedVariables(long taskRunId)
    {
        lock (_sharedVariables)
        {
            if (_sharedVariables.TryGetValue(taskRunId, out var entry))
            {
                if (entry.Plans <= 1)
                {
                    _sharedVariables.Remove(taskRunId);
                }
                else
                {
                    _sharedVariables[taskRunId] = (entry.Registry, entry.Plans - 1);
                }
            }
        }
    }

    /// <summary>Stops a plan: drains it, then cancels what is still in flight after <see cref="StopGrace"/>; false when it does not run here.</summary>
    public bool Stop(long caseRunId)
    {
        if (!_running.TryGetValue(caseRunId, out var running))
        {
            return false;
        }
        running.Drain.Cancel();
        running.Abort.CancelAfter(StopGrace);
        return true;
    }
}
