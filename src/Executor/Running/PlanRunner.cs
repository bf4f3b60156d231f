using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Metrics;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs this executor's share of one case run: stages in order, one snapshot per whole second
/// (seconds are aligned to the wall clock so that executors' seconds line up), and a final
/// snapshot that carries what finished after the last tick. Every snapshot is numbered (sequence 1, 2, 3...) and
/// says how far its stage got here (stage_iterations, stage_started_unix_ms). The executor's place in the group
/// (<see cref="Place"/>) may move while it runs (<see cref="Reshare"/>); a plan with a join point starts at that
/// stage, on the group's clock.
/// </summary>
public sealed class PlanRunner(RunPlan plan, TimeProvider clock, VariableCursorRegistry? sharedVariables = null) : IDisposable
{
    private readonly SemaphoreSlim _emitLock = new(1, 1);
    private readonly List<StageOutcome> _outcomes = [];
    private readonly StageLog _stageLog = new();
    private readonly Lock _budgetGate = new();
    private StageContext? _running;
    /// <summary>The last stage started (-1: none yet); under <see cref="_budgetGate"/>.</summary>
    private int _runningIndex = -1;
    /// <summary>A count-mode budget a reshare set for a stage that had not started yet; under <see cref="_budgetGate"/>.</summary>
    private (int Stage, long Iterations)? _pendingBudget;
    private long _sequence;

    /// <summary>This executor's place in the group, shared by all the plan's stages.</summary>
    public GroupPlace Place { get; } = new(plan.ExecutorIndex, plan.ExecutorCount);

    /// <summary>How each stage that ran ended on this executor, in stage order (a copy).</summary>
    public IReadOnlyList<StageOutcome> StageOutcomes
    {
        get
        {
            lock (_outcomes)
            {
                return [.. _outcomes];
            }
        }
    }

    /// <summary>
    /// Sets the whole-stage level (VUs or iterations per second, all executors together) of the
    /// running stage when it is manually regulated; false when no stage runs or it is automatic.
    /// </summary>
    public bool SetManualLevel(int totalLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLevel);
        if (Volatile.Read(ref _running)?.Manual is not { } level)
        {
            return false;
        }
        level.Set(totalLevel);
        return true;
    }

    /// <summary>
    /// Moves this executor to <paramref name="index"/> of <paramref name="count"/>: the running stage's shapes and the
    /// later stages read the new share at once. In count mode <paramref name="stageIterations"/>, when given, is all
    /// that stage <paramref name="stageIndex"/> may start here (those started included): applied now when it runs,
    /// when it starts when it is still to come, ignored when it is over.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is below 1, or index is negative or not below count.</exception>
    public void Reshare(int index, int count, int stageIndex, long? stageIterations)
    {
        Place.Set(index, count);
        if (stageIterations is not { } budget)
        {
            return;
        }
        lock (_budgetGate)
        {
            if (stageIndex == _runningIndex && _running is { } running)
            {
                running.SetBudget(budget);
            }
            else if (stageIndex > _runningIndex)
            {
                _pendingBudget = (stageIndex, budget);
            }
        }
    }

    public async Task RunAsync(Func<SecondSnapshot, Task> emit, CancellationToken drain, CancellationToken abort)
    {
        emit = Numbered(emit);
        CompiledScript script;
        List<StageSpec> stages;
        int first;
        try
        {
            (script, stages) = Compile(plan, sharedVariables, Place);
            first = FirstStage(plan, stages.Count);
        }
        catch (ScriptException e)
        {
            await emit(new SecondSnapshot { UnixSecond = clock.GetUtcNow().ToUnixTimeSeconds(), Final = true, Error = e.Message });
            return;
        }
        var recorder = new RunRecorder(script.KeyCount, script.RequestCount);
        emit = DeclaringKeys(emit, script.Keys);
        try
        {
            await WaitForNextSecond(drain);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the first second: the final snapshot below reports an empty run.
        }
        using var stopTicker = new CancellationTokenSource();
        var ticker = TickAsync(recorder, emit, stopTicker.Token);
        var lastSecond = clock.GetUtcNow().ToUnixTimeSeconds();
        for (var stage = first; stage < stages.Count && !drain.IsCancellationRequested; stage++)
        {
            var join = stage == first ? plan.Join : null;
            lastSecond = await RunStageAsync(stages[stage], stage, join, script, recorder, drain, abort) ?? lastSecond;
        }
        await stopTicker.CancelAsync();
        await ticker;
        await _emitLock.WaitAsync(CancellationToken.None);
        try
        {
            // Requests that completed after the last tick belong to the run's last second.
            var final = Snapshot(recorder, Math.Min(clock.GetUtcNow().ToUnixTimeSeconds(), Math.Max(lastSecond, 0)));
            final.Final = true;
            final.StageEnds.AddRange(StageOutcomes
                .Where(o => o.EndedBy is not null || o.EstimatedLimitUsers is not null)
                .Select(o => new StageEnd
                {
                    StageIndex = o.StageIndex, EndedBy = o.EndedBy ?? "", HasLimit = o.EstimatedLimitUsers is not null,
                    EstimatedLimitUsers = o.EstimatedLimitUsers ?? 0, LimitAverageMs = o.LimitAverageResponseMs ?? 0,
                }));
            await emit(final);
        }
        finally
        {
            _emitLock.Release();
        }
    }

    public void Dispose() => _emitLock.Dispose();

    /// <summary>Numbers every snapshot of the plan, the final and an error included: the control plane stores each once.</summary>
    private Func<SecondSnapshot, Task> Numbered(Func<SecondSnapshot, Task> emit) => snapshot =>
    {
        snapshot.Sequence = Interlocked.Increment(ref _sequence);
        return emit(snapshot);
    };

    /// <summary>One second's snapshot with its stage's fields.</summary>
    private SecondSnapshot Snapshot(RunRecorder recorder, long second)
    {
        var snapshot = SnapshotMapper.ToProto(recorder.Rotate(second), -1);
        _stageLog.Describe(snapshot);
        return snapshot;
    }

    /// <summary>The stage the plan starts at: 0, or its join point's.</summary>
    private static int FirstStage(RunPlan plan, int stageCount)
    {
        if (plan.Join is not { } join)
        {
            return 0;
        }
        return join.StageIndex >= 0 && join.StageIndex < stageCount ? join.StageIndex
            : throw new ScriptException($"join.stage_index {join.StageIndex} is not a stage of the case (it has {stageCount})");
    }

    /// <summary>Puts the identity of every metric key on the first snapshot of the stream.</summary>
    private static Func<SecondSnapshot, Task> DeclaringKeys(Func<SecondSnapshot, Task> emit, IReadOnlyList<MetricKey> keys)
    {
        var declared = false;
        return snapshot =>
        {
            if (!declared)
            {
                snapshot.MetricKeys.AddRange(keys);
                declared = true;
            }
            return emit(snapshot);
        };
    }

    /// <summary>Compiles this executor's share of a plan: its cards and its stages.</summary>
    /// <param name="plan">The plan as the control plane sent it.</param>
    /// <param name="sharedVariables">The run's share_mode 1 variable cursors on this executor; null for a fresh set.</param>
    /// <param name="place">The place the stages share (a reshare moves it); null for one at the plan's place.</param>
    public static (CompiledScript Script, List<StageSpec> Stages) Compile(RunPlan plan, VariableCursorRegistry? sharedVariables = null,
        GroupPlace? place = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.PlanVersion != PlanContract.Version)
        {
            throw new ScriptException(PlanContract.Mismatch(plan.PlanVersion, "the control plane", "this executor"));
        }
        var casePlan = plan.Case ?? throw new ScriptException("the plan carries no case");
        var share = new StageShare(plan.ExecutorIndex, Math.Max(1, plan.ExecutorCount));
        var script = ScriptCompiler.Compile(casePlan, plan.AcceptAnyCertificate, Globals(casePlan, share, sharedVariables), share);
        // Variables and cards keep the place the plan started at; the stages' shares follow the live place.
        place ??= new GroupPlace(plan.ExecutorIndex, plan.ExecutorCount);
        var stages = casePlan.Stages.Select(s => StageSpec.From(s, place)).ToList();
        if (stages.Count == 0)
        {
            throw new ScriptException("stages is empty: the case has no stage to run");
        }
        for (var i = 0; i < stages.Count; i++)
        {
            LoadShapes.For(stages[i], i);
            if (stages[i].OperateMode == 0 && stages[i].DurationSeconds <= 0)
            {
                throw new ScriptException($"stages[{i}].time must be at least 1 second when operate_mode is 0 (by duration)");
            }
        }
        return (script, stages);
    }

    /// <summary>The project's variables the control plane put into the plan, drawable by this executor.</summary>
    private static GlobalVariables? Globals(CasePlan plan, StageShare share, VariableCursorRegistry? shared)
    {
        if (plan.Variables.Count == 0)
        {
            return null;
        }
        try
        {
            return GlobalVariables.From(plan.Variables, share.Index, share.Count, shared ?? new VariableCursorRegistry());
        }
        catch (VariableDefinitionException e)
        {
            throw new ScriptException(e.Message);
        }
    }

    /// <summary>
    /// Runs one stage; returns the unix second in which it ended (its last whole second), or null when it was joined
    /// after its time was over (it did not run here). A joined stage runs on the group's clock: its time ends where
    /// the group's does and its shape goes on from the time elapsed since the group started it.
    /// </summary>
    private async Task<long?> RunStageAsync(StageSpec stage, int index, JoinPoint? join, CompiledScript script, RunRecorder recorder,
        CancellationToken drain, CancellationToken abort)
    {
        var now = clock.GetUtcNow();
        var startSecond = now.ToUnixTimeSeconds();
        var clockStartedMs = join?.StageStartedUnixMs ?? now.ToUnixTimeMilliseconds();
        // A timed stage ends on the second boundary its time ends on, counted from the second its clock started in:
        // every executor of the group, joined or not, ends it on the same boundary.
        var endSecond = (join is null ? startSecond : Math.DivRem(clockStartedMs, 1000).Quotient) + stage.DurationSeconds;
        if (stage.OperateMode == 0 && DateTimeOffset.FromUnixTimeSeconds(endSecond) <= now)
        {
            return null;
        }
        using var timeUp = stage.OperateMode == 0 ? new CancellationTokenSource(DateTimeOffset.FromUnixTimeSeconds(endSecond) - now, clock) : null;
        using var stageDrain = CancellationTokenSource.CreateLinkedTokenSource(drain, timeUp?.Token ?? CancellationToken.None);
        var shape = LoadShapes.For(stage, index);
        var context = new StageContext(stage, script, recorder, clock, stageDrain.Token, abort)
        {
            Manual = (shape as IManualShape)?.Level,
            ElapsedOffset = join is null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, (now - DateTimeOffset.FromUnixTimeMilliseconds(clockStartedMs)).Ticks)),
        };
        Begin(context, index, join);
        _stageLog.Started(index, startSecond, clockStartedMs, context);
        var judge = KpiWatch.JudgeFor(context, shape);
        using var stopWatch = CancellationTokenSource.CreateLinkedTokenSource(stageDrain.Token);
        var watch = judge is null ? Task.FromResult<string?>(null) : KpiWatch.RunAsync(context, judge, stageDrain, stopWatch.Token);
        await shape.RunAsync(context);
        Volatile.Write(ref _running, null);
        await stopWatch.CancelAsync();
        var broken = await watch;
        var limit = (judge as StepLimitSearch)?.LastHeld;
        var endedBy = broken is not null ? StageOutcome.KpiPrefix + broken : drain.IsCancellationRequested ? StageOutcome.Stopped : null;
        lock (_outcomes)
        {
            _outcomes.Add(new StageOutcome(index, endedBy, limit?.TotalUsers, limit?.AverageResponseMs));
        }
        return stage.OperateMode == 0 && endedBy is null ? endSecond - 1 : clock.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary>
    /// Makes <paramref name="context"/> the running stage with its count-mode budget: the join point's when it joined
    /// this stage, then a reshare's that came for it before it started (the later word).
    /// </summary>
    private void Begin(StageContext context, int index, JoinPoint? join)
    {
        lock (_budgetGate)
        {
            if (join is { HasStageIterations: true })
            {
                context.SetBudget(join.StageIterations);
            }
            if (_pendingBudget is { } pending && pending.Stage <= index)
            {
                if (pending.Stage == index)
                {
                    context.SetBudget(pending.Iterations);
                }
                _pendingBudget = null;
            }
            _runningIndex = index;
            Volatile.Write(ref _running, context);
        }
    }

    private async Task TickAsync(RunRecorder recorder, Func<SecondSnapshot, Task> emit, CancellationToken stop)
    {
        // Each tick closes exactly the second it waited for, whenever the timer really fired.
        var next = clock.GetUtcNow().ToUnixTimeSeconds() + 1;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await DelayUntil(next, stop);
            }
            catch (OperationCanceledException)
            {
                // Stopped after a second ended but before its tick ran (a stop's drain crossing the boundary, a busy
                // machine): it is closed all the same. Left open, the final snapshot (labelled with the next second)
                // would take its requests, and the report would show it empty.
                while (clock.GetUtcNow().ToUnixTimeSeconds() >= next)
                {
                    await CloseAsync(next++ - 1);
                }
                return;
            }
            await CloseAsync(next++ - 1);
        }

        async Task CloseAsync(long second)
        {
            await _emitLock.WaitAsync(CancellationToken.None);
            try
            {
                await emit(Snapshot(recorder, second));
            }
            finally
            {
                _emitLock.Release();
            }
        }
    }

    private Task WaitForNextSecond(CancellationToken cancellationToken) =>
        DelayUntil(clock.GetUtcNow().ToUnixTimeSeconds() + 1, cancellationToken);

    /// <summary>Waits until the wall clock reaches <paramref name="unixSecond"/> (timers may fire a little early).</summary>
    private async Task DelayUntil(long unixSecond, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSecond);
        for (var left = at - clock.GetUtcNow(); left > TimeSpan.Zero; left = at - clock.GetUtcNow())
        {
            await Task.Delay(left, clock, cancellationToken);
        }
    }
}
