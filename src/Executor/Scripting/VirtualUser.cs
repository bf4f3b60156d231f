using PerfTest.Executor.Scripting.Variables;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>The state one virtual user carries across iterations: its connections, timing and variables.</summary>
public sealed class VirtualUser : IAsyncDisposable
{
    private readonly CancellationTokenRegistration _onAbort;
    private Protocols.Transport.SocketClient?[] _sockets = [];

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

    /// <summary>One keep-alive connection per distinct origin of the script, opened on first use.</summary>
    public Http1Connection?[] Connections { get; }

    /// <summary>Cancelled when the run is aborted (a stop past its grace period, or the control plane gone).</summary>
    public CancellationToken Abort { get; }

    /// <summary>Stopwatch timestamp at which the open model meant the next request to start; 0 when none.</summary>
    public long IntendedStart { get; set; }

    public bool SetupDone { get; set; }

    /// <summary>The status code of this VU's last response (0 when none came), for conditions.</summary>
    public int LastStatus { get; set; }

    /// <summary>How many of this VU's requests have not succeeded so far; a transaction fails when it grows inside it.</summary>
    public long Failures { get; set; }

    /// <summary>What <c>${name}</c> references render as: this VU's extracted variables, then the global ones.
    /// Call <see cref="VariableScope.BeginIteration"/> before each iteration's cards.</summary>
    public VariableScope Variables { get; }

    /// <summary>The VU's TCP or UDP client of a socket card's slot, created on first use.</summary>
    public Protocols.Transport.SocketClient Socket(int slot, bool udp)
    {
        if (slot >= _sockets.Length)
        {
            Array.Resize(ref _sockets, slot + 1);
        }
        return _sockets[slot] ??= SocketPacketCard.NewClient(udp);
    }

    private void AbortConnections()
    {
        foreach (var connection in Connections)
        {
            connection?.Abort();
        }
        foreach (var socket in _sockets)
        {
            socket?.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _onAbort.DisposeAsync();
        foreach (var connection in Connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        foreach (var socket in _sockets)
        {
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
