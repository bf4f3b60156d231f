using System.Collections.Concurrent;
using Grpc.Net.Client;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// The resource groups: the shared group is the embedded executor; each private group
/// (cluster_id) is the standalone executors that registered into it and still heartbeat,
/// usable by the projects it is bound to (Executors:Groups), or by every project when unbound.
/// </summary>
public sealed class ExecutorRegistry(ExecutorEngine embedded, ExecutorsOptions options, ChannelTls tls, TimeProvider clock,
    ILogger<ExecutorRegistry> logger) : IDisposable
{
    public const string Shared = "shared-cluster-internet";
    public const string Private = "private-cluster";

    private readonly LocalExecutorClient _embedded = new(embedded);
    private readonly ConcurrentDictionary<string, Registered> _executors = new();
    private readonly List<(long ClusterId, int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _registering = new();

    private readonly Dictionary<long, HashSet<string>> _bindings = options.Groups
        .GroupBy(g => g.ClusterId)
        .ToDictionary(g => g.Key, g => g.SelectMany(b => b.ProjectIds).ToHashSet(StringComparer.Ordinal));

    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(options.HeartbeatSeconds);

    /// <summary>
    /// The executors that run a plan for the resource group a start or debug request of <paramref name="tenant"/> names;
    /// 403 when the group is bound to other projects (checked first: whether it has executors is not told), 400 when it
    /// has none.
    /// </summary>
    /// <param name="tenant">The IAM project id of the request.</param>
    /// <param name="clusterType">The request's cluster_type.</param>
    /// <param name="clusterId">The request's cluster_id (the private group).</param>
    public IReadOnlyList<IExecutorClient> Resolve(string tenant, string? clusterType, long clusterId)
    {
        switch (clusterType)
        {
            case Shared:
                return [_embedded];
            case Private:
                if (!MayUse(tenant, clusterId))
                {
                    throw ApiException.Forbidden($"project {tenant} may not use private resource group {clusterId}: the group is bound to other projects");
                }
                var members = Alive().Where(e => e.ClusterId == clusterId).OrderBy(e => e.Client.Id, StringComparer.Ordinal)
                    .Select(e => (IExecutorClient)e.Client).ToList();
                return members.Count > 0
                    ? members
                    : throw ApiException.BadRequest($"private resource group {clusterId} has no executor: start one with --Executor:ClusterId={clusterId}");
            default:
                throw ApiException.BadRequest($"cluster_type '{clusterType}' is not known: use {Shared} or {Private}");
        }
    }

    /// <summary>True when the private group is open to the project: it is bound to it, or bound to none (Executors:Groups).</summary>
    /// <param name="tenant">The IAM project id.</param>
    /// <param name="clusterId">The private group.</param>
    public bool MayUse(string tenant, long clusterId) => !_bindings.TryGetValue(clusterId, out var projects) || projects.Contains(tenant);

    /// <summary>
    /// Adds the executor to its private group, or refreshes it when it registers again from the same address. An id
    /// alive at another address is not taken over: false, with <paramref name="refusal"/> naming the id and both
    /// addresses; once the old one has missed its heartbeats, the new address takes the id.
    /// </summary>
    /// <param name="id">The executor's id.</param>
    /// <param name="address">Where the control plane reaches it.</param>
    /// <param name="clusterId">The private group it joins.</param>
    /// <param name="refusal">Why it was refused, or empty.</param>
    public bool TryRegister(string id, string address, long clusterId, out string refusal)
    {
        lock (_registering)
        {
            if (_executors.TryGetValue(id, out var old) && IsAlive(old) && !SameAddress(old.Address, address))
            {
                refusal = $"executor id {id} is alive at {old.Address}; {address} cannot take it over. " +
                          $"Use another Executor:Id, or register again once the executor at {old.Address} has missed {MissedHeartbeats} heartbeats";
                return false;
            }
            var channel = tls.CreateChannel(address, logger);
            var entry = new Registered(new GrpcExecutorClient(id, channel, options.SharedSecret), channel, clusterId, address) { LastSeen = clock.GetUtcNow() };
            _executors[id] = entry;
            old?.Channel.Dispose();
        }
        refusal = "";
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => Alive().Count(e => e.ClusterId == w.ClusterId) >= w.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return true;
    }

    private static bool SameAddress(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y) ? x == y : a == b;

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

    /// <summary>An executor that missed <see cref="MissedHeartbeats"/> heartbeats is gone.</summary>
    private bool IsAlive(Registered e) => clock.GetUtcNow() - e.LastSeen <= MissedHeartbeats * HeartbeatInterval;

    private const int MissedHeartbeats = 3;

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
