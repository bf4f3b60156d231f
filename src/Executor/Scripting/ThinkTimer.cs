using System.Threading.Tasks.Sources;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// A VU's think time: one timer, created on the VU's first wait and re-armed for each one after, instead of
/// <c>Task.Delay</c>'s timer, promise and token registration per wait. Waits are sequential (one VU runs one
/// card at a time). The wait ends when the timer fires or, at once, when the token is cancelled
/// (OperationCanceledException, as Task.Delay's TaskCanceledException).
/// </summary>
internal sealed class ThinkTimer : IValueTaskSource, IDisposable
{
    private static readonly TimerCallback s_elapsed = static state =>
    {
        var arming = (Arming)state!;
        arming.Owner.Elapsed(arming);
    };

    private static readonly Action<object?> s_canceled = static state => ((ThinkTimer)state!).Canceled();

    // Continuations run inline, where the timer or the cancellation completes the wait, as Task.Delay's awaiters do.
    private ManualResetValueTaskSourceCore<bool> _core;
    private Timer? _timer;
    private Arming? _arming;      // the current timer's identity: a callback of a timer dropped after a cancellation is ignored
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private int _waiting;         // 1 from arming until the timer or the token completed the wait (whichever came first)
    private bool _disposed;

    public ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }
        if (_timer is null)
        {
            _arming = new Arming(this);
            _timer = new Timer(s_elapsed, _arming, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        _core.Reset();
        _token = cancellationToken;
        Volatile.Write(ref _waiting, 1);
        var version = _core.Version;
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        // Registered after arming: a token cancelled meanwhile runs the callback here, which ends the wait at once.
        _registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_canceled, this) : default;
        return new ValueTask(this, version);
    }

    public void GetResult(short token)
    {
        _registration.Dispose();
        _registration = default;
        _token = default;
        _core.GetResult(token);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
    }

    private void Elapsed(Arming arming)
    {
        if (ReferenceEquals(arming, Volatile.Read(ref _arming)) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    private void Canceled()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            // Drop the timer: a callback of it already on its way must not end a later wait. A new one comes with the next wait.
            Volatile.Write(ref _arming, null);
            _timer!.Dispose();
            _timer = null;
            _core.SetException(new OperationCanceledException(_token));
        }
    }

    private sealed class Arming(ThinkTimer owner)
    {
        public ThinkTimer Owner { get; } = owner;
    }
}
