using System.Threading.Tasks.Sources;

namespace PerfTest.Protocols.Epoll;

/// <summary>
/// Readiness of one direction (read or write) of a socket registered edge-triggered with epoll. The
/// event loop raises it on every edge; the socket consumes it before a system call, and waits on it only
/// when the last call proved the kernel buffer empty (a short read) or full (EAGAIN). That is what saves
/// the speculative recv that .NET sockets make after every send: a request/response exchange costs one
/// send, one recv and a share of one epoll_wait, as in wrk.
/// </summary>
internal sealed class ReadinessSignal : IValueTaskSource
{
    private const int NotReady = 0;  // the last call found nothing; an edge will come when something does
    private const int Ready = 1;     // an edge (or a full read) since the last call: try the call
    private const int Waiting = 2;   // a caller awaits the next edge
    private const int Closed = 3;

    private static readonly Action<object?> s_canceled = static state => ((ReadinessSignal)state!).Cancel();

    // Continuations run inline: on the event loop thread for an edge, as .NET's sockets do with inline completions.
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private int _state;

    public ReadinessSignal(bool ready) => _state = ready ? Ready : NotReady;

    /// <summary>Takes a pending edge: true when the caller should try its system call now.</summary>
    public bool TryConsume() => Interlocked.CompareExchange(ref _state, NotReady, Ready) == Ready;

    /// <summary>After a call that filled the caller's whole buffer: more may wait, so the next call need not wait.</summary>
    public void MarkReady() => Interlocked.CompareExchange(ref _state, Ready, NotReady);

    /// <summary>Completes when the next edge comes (at once if one came already), or fails when cancelled or closed.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Ready)
            {
                if (Interlocked.CompareExchange(ref _state, NotReady, Ready) == Ready)
                {
                    return ValueTask.CompletedTask;
                }

                continue;
            }

            if (state == Closed)
            {
                return ValueTask.FromException(new ObjectDisposedException(nameof(EpollSocket)));
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            _core.Reset();
            _token = cancellationToken;
            _registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_canceled, this) : default;
            if (Interlocked.CompareExchange(ref _state, Waiting, NotReady) == NotReady)
            {
                short version = _core.Version;
                if (cancellationToken.IsCancellationRequested)
                {
                    Cancel();  // cancelled before we were Waiting: the callback found nothing to cancel
                }

                return new ValueTask(this, version);
            }

            // An edge or a close came in between: undo the registration and look again.
            _registration.Dispose();
            _registration = default;
        }
    }

    /// <summary>An edge from the event loop.</summary>
    public void Raise()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            switch (state)
            {
                case Ready or Closed:
                    return;
                case NotReady:
                    if (Interlocked.CompareExchange(ref _state, Ready, NotReady) == NotReady)
                    {
                        return;
                    }

                    break;
                default:
                    // The woken caller makes the call itself, so the edge is consumed here.
                    if (Interlocked.CompareExchange(ref _state, NotReady, Waiting) == Waiting)
                    {
                        _core.SetResult(true);
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>The socket is closing: a waiter fails, later waits fail at once.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _state, Closed) == Waiting)
        {
            _core.SetException(new ObjectDisposedException(nameof(EpollSocket)));
        }
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

    private void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, NotReady, Waiting) == Waiting)
        {
            _core.SetException(new OperationCanceledException(_token));
        }
    }
}
