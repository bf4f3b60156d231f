using System.Runtime.CompilerServices;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;

namespace PerfTest.Executor.Running;

/// <summary>
/// What a stage runner needs. Two signals end a stage: <see cref="Drain"/> (start no new card;
/// requests in flight finish, so every request the target saw is counted) and
/// <see cref="Abort"/> (cancel requests in flight: a user stop that would otherwise wait too long).
/// </summary>
public sealed class StageContext(StageSpec stage, CompiledScript script, RunRecorder recorder, TimeProvider clock,
    CancellationToken drain, CancellationToken abort)
{
    private long _iterationsLeft = stage.OperateMode == 1 ? stage.Iterations : long.MaxValue;

    public StageSpec Stage { get; } = stage;
    public CompiledScript Script { get; } = script;
    public RunRecorder Recorder { get; } = recorder;
    public CancellationToken Drain { get; } = drain;
    public CancellationToken Abort { get; } = abort;
    public TimeProvider Clock { get; } = clock;

    /// <summary>The level of a manually regulated stage (voltage_regulating_mode 1); null otherwise.</summary>
    public ManualLevel? Manual { get; init; }

    /// <summary>Count mode: takes one iteration of the stage's budget; false when it is spent.</summary>
    public bool TakeIteration() => Stage.OperateMode != 1 || Interlocked.Decrement(ref _iterationsLeft) >= 0;

    public bool IterationsLeft => Interlocked.Read(ref _iterationsLeft) > 0;

    /// <summary>Runs the VU's setup once, then one iteration of the script; false when the stage drained meanwhile.</summary>
    // Pooled: a VU runs this once per iteration; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> RunIterationAsync(VirtualUser vu)
    {
        if (!vu.SetupDone)
        {
            vu.SetupDone = true;
            // The setup is not what the schedule timed: the iteration's first request keeps its intended start.
            var intended = vu.IntendedStart;
            vu.IntendedStart = 0;
            if (!await RunCardsAsync(Script.Setup, vu))
            {
                return false;
            }
            vu.IntendedStart = intended;
        }
        // Global variables are drawn afresh for each iteration (the setup's draws are its own).
        vu.Variables.BeginIteration();
        return await RunCardsAsync(Script.Main, vu);
    }

    // Pooled: a VU runs this once per iteration; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RunCardsAsync(IReadOnlyList<ICard> cards, VirtualUser vu)
    {
        for (var i = 0; i < cards.Count; i++)
        {
            if (Drain.IsCancellationRequested)
            {
                return false;
            }
            await cards[i].ExecuteAsync(vu, vu.Abort);
        }
        return true;
    }
}
