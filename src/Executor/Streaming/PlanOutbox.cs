using PerfTest.Executor.Grpc;

namespace PerfTest.Executor.Streaming;

/// <summary>
/// Decouples a plan from the stream that carries its snapshots: the plan posts each snapshot here and never waits for
/// a stream; the outbox keeps the latest ones (a bounded ring: enough to replay what a control plane missed while the
/// plan ran orphaned) and at most one subscriber (the Run call, or an Attach call) writes them to its stream, each
/// once, in sequence order, until the final. A newer subscriber supersedes the current one.
/// </summary>
public sealed class PlanOutbox(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<SecondSnapshot> _kept = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _subscriber;
    private long _lastSequence;

    /// <summary>How many snapshots are kept at most.</summary>
    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

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

    /// <summary>Whether the plan's final snapshot was posted (the plan is over here).</summary>
    public bool FinalPosted { get; private set; }

    /// <summary>Keeps a snapshot (the oldest kept goes when the ring is full) and wakes the subscriber; never waits.</summary>
    public void Post(SecondSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _kept.Enqueue(snapshot);
            while (_kept.Count > Capacity)
            {
                _kept.Dequeue();
            }
            _lastSequence = Math.Max(_lastSequence, snapshot.Sequence);
            FinalPosted |= snapshot.Final;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// Writes every kept snapshot with a sequence above <paramref name="afterSequence"/>, then each one posted later,
    /// until the final is written (<see cref="SubscriptionEnd.Delivered"/>), a newer subscriber takes over
    /// (<see cref="SubscriptionEnd.Superseded"/>), or the stream breaks: <paramref name="cancellationToken"/> is
    /// cancelled or a write fails (<see cref="SubscriptionEnd.Broken"/>). A subscriber that fell behind the ring
    /// goes on from the oldest snapshot kept.
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
                batch = [.. _kept.Where(s => s.Sequence > cursor)];
                changed = _changed.Task;
            }
            foreach (var snapshot in batch)
            {
                ended.ThrowIfCancellationRequested();
                await write(snapshot);
                cursor = snapshot.Sequence;
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
