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
/// snapshot that carries what finished after the last tick.
/// </summary>
public sealed class PlanRunner(RunPlan plan, TimeProvider clock, VariableCursorRegistry? sharedVariables = null) : IDisposable
{
    private readonly SemaphoreSlim _emitLock = new(1, 1);
    private readonly List<StageOutcome> _outcomes = [];
    /// <summary>The unix second each stage started in, by stage index (the stages that started so far).</summary>
    private readonly List<long> _stageStarts = [];
    private StageContext? _running;

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

    public async Task RunAsync(Func<SecondSnapshot, Task> emit, CancellationToken drain, CancellationToken abort)
    {
        CompiledScript script;
        List<StageSpec> stages;
        try
        {
            (script, stages) = Compile(plan, sharedVariables);
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
        for (var stage = 0; stage < stages.Count && !drain.IsCancellationRequested; stage++)
        {
            lastSecond = await RunStageAsync(stages[stage], stage, script, recorder, drain, abort);
        }
        await stopTicker.CancelAsync();
        await ticker;
        await _emitLock.WaitAsync(CancellationToken.None);
        try
        {
            // Requests that completed after the last tick belong to the run's last second.
            var second = Math.Min(clock.GetUtcNow().ToUnixTimeSeconds(), Math.Max(lastSecond, 0));
            var final = SnapshotMapper.ToProto(recorder.Rotate(second), StageAt(second));
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
    public static (CompiledScript Script, List<StageSpec> Stages) Compile(RunPlan plan, VariableCursorRegistry? sharedVariables = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.PlanVersion != PlanContract.Version)
        {
            throw new ScriptException(PlanContract.Mismatch(plan.PlanVersion, "the control plane", "this executor"));
        }
        var casePlan = plan.Case ?? throw new ScriptException("the plan carries no case");
        var share = new StageShare(plan.ExecutorIndex, Math.Max(1, plan.ExecutorCount));
        var script = ScriptCompiler.Compile(casePlan, plan.AcceptAnyCertificate, Globals(casePlan, share, sharedVariables), share);
        var stages = casePlan.Stages.Select(s => StageSpec.From(s, plan.ExecutorIndex, Math.Max(1, plan.ExecutorCount))).ToList();
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

    /// <summary>Runs one stage; returns the unix second in which it ended (its last whole second).</summary>
    private async Task<long> RunStageAsync(StageSpec stage, int index, CompiledScript script, RunRecorder recorder,
        CancellationToken drain, CancellationToken abort)
    {
        using var stageDrain = CancellationTokenSource.CreateLinkedTokenSource(drain);
        var startSecond = clock.GetUtcNow().ToUnixTimeSeconds();
        lock (_stageStarts)
        {
            _stageStarts.Add(startSecond);
        }
        if (stage.OperateMode == 0)
        {
            stageDrain.CancelAfter(TimeSpan.FromSeconds(stage.DurationSeconds) - (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(startSecond)));
        }
        var shape = LoadShapes.For(stage, index);
        var context = new StageContext(stage, script, recorder, clock, stageDrain.Token, abort) { Manual = (shape as IManualShape)?.Level };
        Volatile.Write(ref _running, context);
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
        return stage.OperateMode == 0 && endedBy is null
            ? startSecond + stage.DurationSeconds - 1
            : clock.GetUtcNow().ToUnixTimeSeconds();
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
                return;
            }
            await _emitLock.WaitAsync(CancellationToken.None);
            try
            {
                await emit(SnapshotMapper.ToProto(recorder.Rotate(next - 1), StageAt(next - 1)));
            }
            finally
            {
                _emitLock.Release();
            }
            next++;
        }
    }

    /// <summary>
    /// A second's stage_index: the last stage that had started by that second (several in one second: the last;
    /// -1 before the first). Read from the stages' start seconds, not from which stage runs when the tick fires:
    /// a timed stage ends on the second boundary the ticker closes, so that would give its last second (or a
    /// one-second stage's only one) to the next stage, or to a stage past the last.
    /// </summary>
    private int StageAt(long unixSecond)
    {
        lock (_stageStarts)
        {
            var stage = _stageStarts.Count - 1;
            while (stage >= 0 && _stageStarts[stage] > unixSecond)
            {
                stage--;
            }
            return stage;
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
