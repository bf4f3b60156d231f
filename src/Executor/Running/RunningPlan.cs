using PerfTest.Executor.Streaming;

namespace PerfTest.Executor.Running;

/// <summary>
/// One plan the engine runs: its stop signals, its outbox, and who is attached to its stream. When the last attached
/// stream goes away before the final was delivered the plan is orphaned: a grace timer starts, and an Attach before
/// it fires cancels it. The drain and abort sources are never disposed: a Stop or the grace timer may still cancel
/// them after the plan ended, and they hold no timer of their own beyond Abort's CancelAfter.
/// </summary>
internal sealed class RunningPlan
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attached;
    private ITimer? _grace;

    /// <param name="caseRunId">The case run the plan is this executor's share of.</param>
    /// <param name="keptSnapshots">How many written snapshots the outbox keeps for a replay.</param>
    /// <param name="outboxMaxBytes">How many bytes of snapshots the outbox holds before it is full.</param>
    /// <param name="full">Called once when the outbox is full (<see cref="PlanOutbox"/>): the plan has to stop.</param>
    public RunningPlan(long caseRunId, int keptSnapshots, long outboxMaxBytes, Action<RunningPlan> full)
    {
        CaseRunId = caseRunId;
        Outbox = new PlanOutbox(keptSnapshots, outboxMaxBytes, () => full(this));
    }

    public long CaseRunId { get; }
    public PlanOutbox Outbox { get; }
    public CancellationTokenSource Abort { get; } = new();
    public CancellationTokenSource Drain { get; } = new();
    public PlanRunner? Runner { get; set; }

    /// <summary>The plan's work (its runner), set once started; completes when the final was posted.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Completes when a subscriber wrote the final snapshot to its stream.</summary>
    public Task Delivered => _delivered.Task;

    /// <summary>Whether a stream is attached now.</summary>
    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _attached > 0;
            }
        }
    }

    /// <summary>A stream is about to subscribe: an orphan grace running ends here.</summary>
    public void Attaching()
    {
        lock (_gate)
        {
            _attached++;
            _grace?.Dispose();
            _grace = null;
        }
    }

    /// <summary>A stream's subscription ended; true when the plan is orphaned now (no stream left, final not delivered).</summary>
    public bool Detached(SubscriptionEnd end)
    {
        lock (_gate)
        {
            _attached--;
            if (end == SubscriptionEnd.Delivered)
            {
                _delivered.TrySetResult();
            }
            return _attached == 0 && !_delivered.Task.IsCompleted;
        }
    }

    /// <summary>Starts the orphan grace: <paramref name="expire"/> runs when it is over and no stream attached meanwhile.</summary>
    public void StartGrace(TimeProvider clock, TimeSpan grace, Action expire)
    {
        lock (_gate)
        {
            if (_attached > 0)
            {
                return;
            }
            _grace?.Dispose();
            _grace = clock.CreateTimer(_ => Expire(expire), null, grace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops all the plan's load at once: no more starts, requests in flight cancelled.</summary>
    public void AbortNow()
    {
        Drain.Cancel();
        Abort.Cancel();
    }

    private void Expire(Action expire)
    {
        lock (_gate)
        {
            // An Attach that came just as the timer fired keeps the plan.
            if (_attached > 0 || _grace is null)
            {
                return;
            }
            _grace.Dispose();
            _grace = null;
        }
        expire();
    }
}
