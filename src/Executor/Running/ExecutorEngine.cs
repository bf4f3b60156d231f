using System.Collections.Concurrent;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Scripting.Variables;

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
    private readonly Dictionary<long, (VariableCursorRegistry Registry, int Plans)> _sharedVariables = [];

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
            using var runner = new PlanRunner(plan, clock, AcquireSharedVariables(plan.TaskRunId));
            running.Runner = runner;
            await runner.RunAsync(emit, running.Drain.Token, running.Abort.Token);
        }
        finally
        {
            running.Runner = null;
            _running.TryRemove(plan.CaseRunId, out _);
            ReleaseSharedVariables(plan.TaskRunId);
        }
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
        public PlanRunner? Runner { get; set; }

        public void Dispose()
        {
            Drain.Dispose();
            Abort.Dispose();
        }
    }
}
