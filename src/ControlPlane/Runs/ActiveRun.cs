using System.Collections.Concurrent;
using PerfTest.ControlPlane.Groups;
using PerfTest.Executor.Contract;

namespace PerfTest.ControlPlane.Runs;

/// <summary>A task run this control plane owns (started here, or taken over from a replica whose lease expired).</summary>
public sealed class ActiveRun(string tenant, long taskId, bool parallel, string clusterType, long clusterId) : IDisposable
{
    public string Tenant { get; } = tenant;
    public long TaskId { get; } = taskId;
    public bool Parallel { get; } = parallel;
    public string ClusterType { get; } = clusterType;
    public long ClusterId { get; } = clusterId;
    public long TaskRunId { get; set; }

    /// <summary>The most VUs the run holds at one time (kept in its document for the tenant quota); 0 when taken over.</summary>
    public long PeakVus { get; init; }
    public List<PlannedCase> Cases { get; } = [];

    /// <summary>Case runs whose plans are on the executors now, by case run id.</summary>
    public ConcurrentDictionary<long, CaseRunGroup> Groups { get; } = new();

    public bool StopRequested { get; private set; }

    /// <summary>
    /// This control plane is shutting down and leaves the run to another (or to itself once restarted): its streams are
    /// cut, its executors run on orphaned until the run is taken over, and nothing here marks it ended.
    /// </summary>
    public bool Detached => Detach.IsCancellationRequested;

    /// <summary>Cancelled when the run is left to another control plane (<see cref="Detached"/>).</summary>
    public CancellationTokenSource Detach { get; } = new();

    /// <summary>Cuts the executor streams when a stop does not end them in time.</summary>
    public CancellationTokenSource Abort { get; } = new();

    public Task? Execution { get; set; }

    /// <summary>Per case run, the first executor that declared its metric keys, and those keys.</summary>
    public ConcurrentDictionary<long, (string Executor, IReadOnlyList<MetricKey> Keys)> DeclaredKeys { get; } = new();

    public bool IsPrivate => ClusterType == Executors.ExecutorRegistry.Private;

    /// <summary>
    /// Why the control plane could no longer follow the run (a store error, a bug), or null. Once set the run ends 3 with
    /// it, every executor stream is cut and every executor told to stop: load never outlives its coordinator.
    /// </summary>
    public string? Failure => _failure;

    private volatile string? _failure;
    private readonly Lock _failLock = new();

    /// <summary>Records the first failure and cuts every executor stream of the run at once (their followers then stop them).</summary>
    /// <returns>False when the run had failed already.</returns>
    public bool Fail(string reason)
    {
        lock (_failLock)
        {
            if (_failure is not null)
            {
                return false;
            }
            _failure = reason;
        }
        try
        {
            Abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Released already: nothing streams any more.
        }
        return true;
    }

    public void RequestStop(TimeSpan hardLimit)
    {
        StopRequested = true;
        Abort.CancelAfter(hardLimit);
    }

    public void Dispose()
    {
        Abort.Dispose();
        Detach.Dispose();
    }
}

/// <summary>A case of the run: its case run id, name, and the typed plan its executors run; its status when taken over.</summary>
public sealed record PlannedCase(long CaseRunId, long CaseId, string Name, CasePlan Plan, int Status = RunStatus.Waiting);
