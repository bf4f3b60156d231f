using System.Collections.Concurrent;
using Grpc.Net.Client;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// The resource groups: the shared group is the embedded executor; each private group
/// (cluster_id) is the standalone executors that registered into it and still heartbeat.
/// </summary>
public sealed class ExecutorRegistry(ExecutorEngine embedded, ExecutorsOptions options, TimeProvider clock) : IDisposable
{
    public const string Shared = "shared-cluster-internet";
    public const string Private = "private-cluster";

    private readonly LocalExecutorClient _embedded = new(embedded);
    private readonly ConcurrentDictionary<string, Registered> _executors = new();
    private readonly List<(long ClusterId, int Count, TaskCompletionSource Done)> _waiters = [];

    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(options.HeartbeatSeconds);

    /// <summary>The executors that run a plan for the resource group a start request names; 400 when there are none.</summary>
    public IReadOnlyList<IExecutorClient> Resolve(string? clusterType, long clusterId)
    {
        switch (clusterType)
        {
            case Shared:
                return [_embedded];
            case Private:
                var members = Alive().Where(e => e.ClusterId == clusterId).OrderBy(e => e.Client.Id, StringComparer.Ordinal)
                    .Select(e => (IExecutorClient)e.Client).ToList();
                return members.Count > 0
                    ? members
                    : throw ApiException.BadRequest($"private resource group {clusterId} has no executor: start one with --Executor:ClusterId={clusterId}");
            default:
                throw ApiException.BadRequest($"cluster_type '{clusterType}' is not known: use {Shared} or {Private}");
        }
    }

    public void Register(string id, string address, long clusterId)
    {
        var channel = GrpcChannel.ForAddress(address);
        var entry = new Registered(new GrpcExecutorClient(id, channel, options.SharedSecret), channel, clusterId, address) { LastSeen = clock.GetUtcNow() };
        _executors.AddOrUpdate(id, entry, (_, old) =>
        {
            old.Channel.Dispose();
            return entry;
        });
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => Alive().Count(e => e.ClusterId == w.ClusterId) >= w.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> live executors are in the private group.</summary>
    public Task WaitForGroupAsync(long clusterId, int count)
    {
        lock (_waiters)
        {
            if (Alive().Count(e => e.ClusterId == clusterId) >= count)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((clusterId, count, done));
            return done.Task;
        }
    }

    public bool Heartbeat(string id)
    {
        if (_executors.TryGetValue(id, out var entry) && IsAlive(entry))
        {
            entry.LastSeen = clock.GetUtcNow();
            return true;
        }
        return false;
    }

    /// <summary>The gRPC addresses of the live executors of a private group.</summary>
    public IReadOnlyList<string> AddressesOf(long clusterId) =>
        Alive().Where(e => e.ClusterId == clusterId).Select(e => e.Address).ToList();

    private IEnumerable<Registered> Alive() => _executors.Values.Where(IsAlive);

    /// <summary>An executor that missed three heartbeats is gone.</summary>
    private bool IsAlive(Registered e) => clock.GetUtcNow() - e.LastSeen <= 3 * HeartbeatInterval;

    public void Dispose()
    {
        foreach (var e in _executors.Values)
        {
            e.Channel.Dispose();
        }
    }

    private sealed class Registered(GrpcExecutorClient client, GrpcChannel channel, long clusterId, string address)
    {
        public string Address { get; } = address;
        public GrpcExecutorClient Client { get; } = client;
        public GrpcChannel Channel { get; } = channel;
        public long ClusterId { get; } = clusterId;
        public DateTimeOffset LastSeen { get; set; }
    }
}
