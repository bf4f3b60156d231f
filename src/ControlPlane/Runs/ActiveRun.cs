using System.Collections.Concurrent;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Runs;

/// <summary>A task run in progress on this control plane.</summary>
public sealed class ActiveRun(string tenant, long taskId, bool parallel, IReadOnlyList<IExecutorClient> executors) : IDisposable
{
    public string Tenant { get; } = tenant;
    public long TaskId { get; } = taskId;
    public bool Parallel { get; } = parallel;
    public IReadOnlyList<IExecutorClient> Executors { get; } = executors;
    public long TaskRunId { get; set; }
    public List<PlannedCase> Cases { get; } = [];

    /// <summary>Case runs whose plans are on the executors now.</summary>
    public ConcurrentDictionary<long, byte> Running { get; } = new();

    public bool StopRequested { get; private set; }

    /// <summary>Cuts the executor streams when a stop does not end them in time.</summary>
    public CancellationTokenSource Abort { get; } = new();

    public Task? Execution { get; set; }

    /// <summary>Per case run, the first executor that declared its metric keys, and those keys.</summary>
    public ConcurrentDictionary<long, (string Executor, IReadOnlyList<MetricKey> Keys)> DeclaredKeys { get; } = new();

    public void RequestStop(TimeSpan hardLimit)
    {
        StopRequested = true;
        Abort.CancelAfter(hardLimit);
    }

    public void Dispose() => Abort.Dispose();
}

/// <summary>A case of the run: its case run id, name, and the typed plan its executors run.</summary>
public sealed record PlannedCase(long CaseRunId, long CaseId, string Name, CasePlan Plan);
