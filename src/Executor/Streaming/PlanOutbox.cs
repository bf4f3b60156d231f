using PerfTest.Executor.Grpc;

namespace PerfTest.Executor.Streaming;

/// <summary>
/// Decouples a plan from the stream that carries its snapshots: the plan posts each snapshot here and never waits for
/// a stream; at most one subscriber (the Run call, or an Attach call) writes them to its stream, each once, in sequence
/// order, until the final. A newer subscriber supersedes the current one. The outbox never drops a snapshot no
/// subscriber wrote yet, however far behind the stream is (the control plane stores slower than the plan posts, or no
/// stream is attached): it holds them all, up to <see cref="MaxBytes"/>; past that it reports itself full once (the
/// engine stops the plan) and the final says <see cref="FullError"/>. Of the snapshots already written it keeps the
/// latest <see cref="Capacity"/>, enough to replay what a control plane missed while the plan ran orphaned.
/// </summary>
public sealed class PlanOutbox
{
    /// <summary>The reason a plan stopped because its unwritten snapshots outgrew <see cref="MaxBytes"/>; the final's error starts with it.</summary>
    public const string FullReason = "outbox_full";

    /// <summary>The default of <see cref="MaxBytes"/> (Executor:OutboxMaxMegabytes).</summary>
    public const long DefaultMaxBytes = 1024L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<(SecondSnapshot Snapshot, int Bytes)> _kept = new();
    private readonly Action? _full;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _subscriber;
    private long _lastSequence;
    private long _written;
    private long _bytes;
    private bool _isFull;

    /// <param name="capacity">How many snapshots already written are kept for a replay.</param>
    /// <param name="maxBytes">How many bytes of snapshots (encoded) the outbox holds before it is full.</param>
    /// <param name="full">Called once, on the post that made the outbox full (outside its lock).</param>
    public PlanOutbox(int capacity, long maxBytes = DefaultMaxBytes, Action? full = null)
    {
        Capacity = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
        MaxBytes = maxBytes >= 1 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes));
        _full = full;
    }

    /// <summary>How many snapshots already written to a stream are kept at most.</summary>
    public int Capacity { get; }

    /// <summary>How many bytes of snapshots the outbox holds before it is full (the plan is then stopped).</summary>
    public long MaxBytes { get; }

    /// <summary>The error of the final snapshot of a plan stopped because its outbox was full.</summary>
    public string FullError => $"{FullReason}: the control plane took this executor's seconds slower than they came, " +
        $"and the {MaxBytes / (1024 * 1024)} MiB not yet sent (Executor:OutboxMaxMegabytes) filled up; the plan was stopped";

    /// <summary>The sequence of the last snapshot posted (0: none yet).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>How many snapshots and bytes the outbox holds now (written ones kept for a replay included).</summary>
    public (int Snapshots, long Bytes) Held
    {
        get
        {
            lock (_gate)
            {
                return (_kept.Count, _bytes);
            }
        }
    }

    /// <summary>Whether the plan's final snapshot was posted (the plan is over here).</summary>
    public bool FinalPosted { get; private set; }

    /// <summary>
    /// Keeps a snapshot and wakes the subscriber; never waits and never drops one not written yet. A final posted
    /// after the outbox was full carries <see cref="FullError"/> (unless it has an error of its own).
    /// </summary>
    public void Post(SecondSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        TaskCompletionSource changed;
        var becameFull = false;
        lock (_gate)
        {
            if (snapshot.Final && _isFull && snapshot.Error.Length == 0)
            {
                snapshot.Error = FullError;
            }
            var bytes = snapshot.CalculateSize();
            _kept.Enqueue((snapshot, bytes));
            _bytes += bytes;
            Trim();
            if (_bytes > MaxBytes && !_isFull)
            {
                _isFull = becameFull = true;
            }
            _lastSequence = Math.Max(_lastSequence, snapshot.Sequence);
            FinalPosted |= snapshot.Final;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        if (becameFull)
        {
            _full?.Invoke();
        }
    }

    /// <summary>
    /// Writes every kept snapshot with a sequence above <paramref name="afterSequence"/>, then each one posted later,
    /// until the final is written (<see cref="SubscriptionEnd.Delivered"/>), a newer subscriber takes over
    /// (<see cref="SubscriptionEnd.Superseded"/>), or the stream breaks: <paramref name="cancellationToken"/> is
    /// cancelled or a write fails (<see cref="SubscriptionEnd.Broken"/>). A subscriber that asks for written snapshots
    /// older than those kept goes on from the oldest kept.
    /// </summary>
    public async Task<SubscriptionEnd> SubscribeAsync(long afterSequence, Func<SecondSnapshot, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        // Not disposed: it has no timer and no registration, and a newer subscriber may still cancel it after this ends.
        var superseded = new CancellationTokenSource();
        CancellationTokenSource? older;
        lock (_gate)
        {
            older = _subscriber;
            _subscriber = superseded;
        }
        older?.Cancel();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, superseded.Token);
        try
        {
            return await WriteUntilFinalAsync(afterSequence, write, ended.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a failed write throws (cancelled, reset, completed call), the stream is no longer usable.
            return superseded.IsCancellationRequested ? SubscriptionEnd.Superseded : SubscriptionEnd.Broken;
        }
        finally
        {
            lock (_gate)
            {
                if (_subscriber == superseded)
                {
                    _subscriber = null;
                }
            }
        }
    }

    private async Task<SubscriptionEnd> WriteUntilFinalAsync(long cursor, Func<SecondSnapshot, Task> write, CancellationToken ended)
    {
        while (true)
        {
            SecondSnapshot[] batch;
            Task changed;
            lock (_gate)
            {
                batch = [.. _kept.Where(s => s.Snapshot.Sequence > cursor).Select(s => s.Snapshot)];
                changed = _changed.Task;
            }
            foreach (var snapshot in batch)
            {
                ended.ThrowIfCancellationRequested();
                await write(snapshot);
                cursor = snapshot.Sequence;
                Written(cursor);
                if (snapshot.Final)
                {
                    return SubscriptionEnd.Delivered;
                }
            }
            if (batch.Length == 0)
            {
                await changed.WaitAsync(ended);
            }
        }
    }

    private void Written(long sequence)
    {
        lock (_gate)
        {
            _written = Math.Max(_written, sequence);
            Trim();
        }
    }

    /// <summary>Lets go of the oldest written snapshots beyond the <see cref="Capacity"/> kept for a replay. Under the lock.</summary>
    private void Trim()
    {
        var written = _kept.TakeWhile(s => s.Snapshot.Sequence <= _written).Count();
        for (; written > Capacity; written--)
        {
            _bytes -= _kept.Dequeue().Bytes;
        }
    }
}

/// <summary>How a subscription to a <see cref="PlanOutbox"/> ended.</summary>
public enum SubscriptionEnd
{
    /// <summary>The final snapshot was written: the plan is over and its stream complete.</summary>
    Delivered,
    /// <summary>A newer subscriber took the plan's stream over.</summary>
    Superseded,
    /// <summary>The stream went away (cancelled, or a write failed): the plan is orphaned unless another subscriber has it.</summary>
    Broken,
}
