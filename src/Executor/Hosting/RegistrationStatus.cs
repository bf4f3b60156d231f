namespace PerfTest.Executor.Hosting;

/// <summary>
/// Whether this standalone executor is registered with its control plane right now, as
/// <see cref="RegistrationService"/> last learnt it (a register accepted, a heartbeat known; a refusal or no answer
/// clears it). <c>GET /healthz/ready</c> answers from it.
/// </summary>
public sealed class RegistrationStatus
{
    private readonly Lock _lock = new();
    private bool _registered;
    private TaskCompletionSource _changed = NewSignal();

    public bool IsRegistered
    {
        get
        {
            lock (_lock)
            {
                return _registered;
            }
        }
    }

    /// <summary>Records what the last exchange with the control plane showed.</summary>
    public void Set(bool registered)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_registered == registered)
            {
                return;
            }
            _registered = registered;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>Completes once <see cref="IsRegistered"/> is <paramref name="registered"/>.</summary>
    public async Task WaitAsync(bool registered, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_registered == registered)
                {
                    return;
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
