using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>The state one virtual user carries across iterations: its connections and timing.</summary>
public sealed class VirtualUser(RunRecorder recorder, int connectionSlots) : IAsyncDisposable
{
    public RunRecorder Recorder { get; } = recorder;

    /// <summary>One keep-alive connection per distinct origin of the script, opened on first use.</summary>
    public Http1Connection?[] Connections { get; } = new Http1Connection?[connectionSlots];

    /// <summary>Stopwatch timestamp at which the open model meant the next request to start; 0 when none.</summary>
    public long IntendedStart { get; set; }

    public bool SetupDone { get; set; }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
