using PerfTest.Executor.Scripting.Variables;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>The state one virtual user carries across iterations: its connections, timing and variables.</summary>
public sealed class VirtualUser : IAsyncDisposable
{
    private readonly CancellationTokenRegistration _onAbort;
    // The clients of non-HTTP cards (TCP, UDP, WebSocket, MQTT, streaming players), one slot per card.
    private IAsyncDisposable?[] _clients = [];
    private ThinkTimer? _think;  // created on the first think time, reused for every one after

    /// <param name="recorder">Where the VU's requests are counted.</param>
    /// <param name="connectionSlots">How many HTTP connections it may keep: one per distinct origin of the script.</param>
    /// <param name="abort">Cancelled when the run is aborted: ends what the VU has in flight.</param>
    /// <param name="globals">The case's global variables, drawn per iteration; null when it has none.</param>
    public VirtualUser(RunRecorder recorder, int connectionSlots, CancellationToken abort, IGlobalVariables? globals = null)
    {
        Recorder = recorder;
        Variables = new VariableScope(globals);
        Connections = new Http1Connection?[connectionSlots];
        Abort = abort;
        // Requests carry no cancellation token (a registration per request costs on the hot path):
        // an abort ends whatever the VU has in flight through its connections instead.
        _onAbort = abort.UnsafeRegister(static state => ((VirtualUser)state!).AbortConnections(), this);
    }

    public RunRecorder Recorder { get; }

    /// <summary>Set for a debug run: every answer is logged with its exchange, and think times are not waited for.</summary>
    public Debugging.DebugLog? Debug { get; init; }

    /// <summary>One keep-alive connection per distinct origin of the script, opened on first use.</summary>
    public Http1Connection?[] Connections { get; }

    /// <summary>Cancelled when the run is aborted (a stop past its grace period, or the control plane gone).</summary>
    public CancellationToken Abort { get; }

    /// <summary>Stopwatch timestamp at which the open model meant the next request to start; 0 when none.</summary>
    public long IntendedStart { get; set; }

    /// <summary>When the card about to send starts its clock: the intended start the open model gave (TPS mode:
    /// no coordinated omission), else now. Taking it clears it, so the next card starts its own.</summary>
    public long TakeStart()
    {
        var start = IntendedStart != 0 ? IntendedStart : System.Diagnostics.Stopwatch.GetTimestamp();
        IntendedStart = 0;
        return start;
    }

    public bool SetupDone { get; set; }

    /// <summary>Waits <paramref name="delay"/> on this VU's own timer (as Task.Delay, without its allocations), or
    /// until <paramref name="cancellationToken"/> is cancelled (OperationCanceledException, at once). One wait at a time.
    /// A debug run's VU (<see cref="Debug"/> set) does not wait.</summary>
    public ValueTask ThinkAsync(TimeSpan delay, CancellationToken cancellationToken) => Debug is not null ? ValueTask.CompletedTask
        : (_think ??= new ThinkTimer()).WaitAsync(delay, cancellationToken);

    /// <summary>The status code of this VU's last response (0 when none came), for conditions.</summary>
    public int LastStatus { get; set; }

    /// <summary>How many of this VU's requests have not succeeded so far; a transaction fails when it grows inside it.</summary>
    public long Failures { get; set; }

    /// <summary>What <c>${name}</c> references render as: this VU's extracted variables, then the global ones.
    /// Call <see cref="VariableScope.BeginIteration"/> before each iteration's cards.</summary>
    public VariableScope Variables { get; }

    /// <summary>Records one answer of a card: a failure counts for the VU's transaction, the status for its conditions.</summary>
    public void Record(int key, long micros, in Protocols.RequestResult result)
    {
        LastStatus = result.StatusCode;
        if (result.Outcome != Protocols.Outcome.Success)
        {
            Failures++;
        }
        Recorder.Record(key, Math.Max(1, micros), result);
        Debug?.Record(key, micros, result.Outcome, result.StatusCode);
    }

    /// <summary>Records a message whose rendered variables made no valid message (e.g. a line break in a header): nothing was sent.</summary>
    public void RecordUnsendable(int key) => Record(key, 1, new Protocols.RequestResult(Protocols.Outcome.Other, 0, 0, 0));

    /// <summary>Records one streaming play of a card, as <see cref="Record"/> does a request.</summary>
    public void RecordPlay(int key, long micros, Protocols.Streaming.StreamPlayResult play)
    {
        LastStatus = 0;
        if (play.Outcome != Protocols.Outcome.Success)
        {
            Failures++;
        }
        Recorder.RecordPlay(key, Math.Max(1, micros), play);
        Debug?.Record(key, micros, play.Outcome, 0);
    }

    /// <summary>The VU's client in a card's slot, or null before the card first ran (then <see cref="SetClient"/>).</summary>
    public T? Client<T>(int slot) where T : class, IAsyncDisposable =>
        slot < _clients.Length ? (T?)_clients[slot] : null;

    /// <summary>Keeps a card's new client for the VU's next iterations; aborted and disposed with the VU.</summary>
    public T SetClient<T>(int slot, T client) where T : class, IAsyncDisposable
    {
        if (slot >= _clients.Length)
        {
            Array.Resize(ref _clients, slot + 1);
        }
        _clients[slot] = client;
        return client;
    }

    private void AbortConnections()
    {
        foreach (var connection in Connections)
        {
            connection?.Abort();
        }
        foreach (var client in _clients)
        {
            (client as Protocols.IAbortable)?.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _onAbort.DisposeAsync();
        _think?.Dispose();
        foreach (var connection in Connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        foreach (var client in _clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }
}
