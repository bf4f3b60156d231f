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
/// The iterations the stage started are counted (<see cref="Taken"/>) against a budget (count mode: this executor's
/// share of the count; unbounded in time mode) that a reshare may replace while the stage runs (<see cref="SetBudget"/>).
/// </summary>
public sealed class StageContext(StageSpec stage, CompiledScript script, RunRecorder recorder, TimeProvider clock,
    CancellationToken drain, CancellationToken abort)
{
    private long _taken;
    private long _budget = stage.OperateMode == 1 ? stage.Iterations : long.MaxValue;

    public StageSpec Stage { get; } = stage;
    public CompiledScript Script { get; } = script;
    public RunRecorder Recorder { get; } = recorder;
    public CancellationToken Drain { get; } = drain;
    public CancellationToken Abort { get; } = abort;
    public TimeProvider Clock { get; } = clock;

    /// <summary>The level of a manually regulated stage (voltage_regulating_mode 1); null otherwise.</summary>
    public ManualLevel? Manual { get; init; }

    /// <summary>
    /// How far into the stage's curve it starts: zero, or for an executor joining a running stage the time since the
    /// group started it. Runners add it to their own elapsed time when they read the shape.
    /// </summary>
    public TimeSpan ElapsedOffset { get; init; }

    /// <summary>The iterations this stage started so far on this executor.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Takes one iteration of the stage's budget (counted in <see cref="Taken"/>); false when it is spent.</summary>
    public bool TakeIteration()
    {
        // A compare-and-swap against the budget read each time: a budget set meanwhile applies to the very next start,
        // and Taken never counts a start that was refused.
        while (true)
        {
            var taken = Interlocked.Read(ref _taken);
            if (taken >= Interlocked.Read(ref _budget))
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken)
            {
                return true;
            }
        }
    }

    public bool IterationsLeft => Interlocked.Read(ref _taken) < Interlocked.Read(ref _budget);

    /// <summary>
    /// Count mode: all the iterations this executor may start in the stage, those already started included; when it
    /// already started as many or more, it starts no more. Ignored in time mode (no budget).
    /// </summary>
    public void SetBudget(long iterations)
    {
        if (Stage.OperateMode == 1)
        {
            Interlocked.Exchange(ref _budget, Math.Max(0, iterations));
        }
    }

    /// <summary>Runs the VU's setup once, then one iteration of the script; false when the stage drained meanwhile.</summary>
    /// <remarks>
    /// Not an async method: in the steady state (setup done) an iteration is the cards' own awaits, with no state
    /// machine of its own, and one that completes synchronously costs none at all.
    /// </remarks>
    public ValueTask<bool> RunIterationAsync(VirtualUser vu)
    {
        if (!vu.SetupDone)
        {
            return RunSetupAndIterationAsync(vu);
        }
        // Global variables are drawn afresh for each iteration (the setup's draws are its own).
        vu.Variables.BeginIteration();
        return RunCardsAsync(Script.Main, vu);
    }

    // Pooled: runs once per VU, but pooling keeps even the ramp-up allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RunSetupAndIterationAsync(VirtualUser vu)
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
        vu.Variables.BeginIteration();
        return await RunCardsAsync(Script.Main, vu);
    }

    /// <summary>Runs the cards in order while the stage is not draining; synchronously as long as they complete so.</summary>
    private ValueTask<bool> RunCardsAsync(IReadOnlyList<ICard> cards, VirtualUser vu)
    {
        for (var i = 0; i < cards.Count; i++)
        {
            if (Drain.IsCancellationRequested)
            {
                return new ValueTask<bool>(false);
            }
            var pending = cards[i].ExecuteAsync(vu, vu.Abort);
            if (!pending.IsCompleted)
            {
                return RunCardsAfterAsync(cards, i, pending, vu);
            }
            pending.GetAwaiter().GetResult();  // ends the ValueTask (and throws what the card threw)
        }
        return new ValueTask<bool>(true);
    }

    // Pooled: a VU runs this once per iteration that waits; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RunCardsAfterAsync(IReadOnlyList<ICard> cards, int index, ValueTask pending, VirtualUser vu)
    {
        await pending;
        for (var i = index + 1; i < cards.Count; i++)
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
