using System.Collections.Concurrent;
using PerfTest.Executor.Grpc;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs plans on this executor and stops them on request. A stop first drains (no new
/// request starts; requests in flight finish and are counted), then after
/// <see cref="StopGrace"/> cancels whatever is still in flight, so a stop always ends promptly.
/// </summary>
public sealed class ExecutorEngine(TimeProvider clock)
{
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, RunningPlan> _running = new();

    public int RunningCount => _running.Count;

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

    public async Task RunAsync(RunPlan plan, Func<SecondSnapshot, Task> emit, CancellationToken cancellationToken)
    {
        using var running = new RunningPlan(cancellationToken);
        if (!_running.TryAdd(plan.CaseRunId, running))
        {
            await emit(new SecondSnapshot { Final = true, Error = $"case run {plan.CaseRunId} is already running on this executor" });
            return;
        }
        try
        {
            await Ready.WaitAsync(cancellationToken);
            using var runner = new PlanRunner(plan, clock);
            await runner.RunAsync(emit, running.Drain.Token, running.Abort.Token);
        }
        finally
        {
            _running.TryRemove(plan.CaseRunId, out _);
        }
    }

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

    private sealed class RunningPlan : IDisposable
    {
        public RunningPlan(CancellationToken caller)
        {
            // The caller going away (control plane lost) stops the plan at once.
            Abort = CancellationTokenSource.CreateLinkedTokenSource(caller);
            Drain = CancellationTokenSource.CreateLinkedTokenSource(Abort.Token);
        }

        public CancellationTokenSource Drain { get; }
        public CancellationTokenSource Abort { get; }

        public void Dispose()
        {
            Drain.Dispose();
            Abort.Dispose();
        }
    }
}
