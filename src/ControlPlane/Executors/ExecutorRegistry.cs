using System.Collections.Concurrent;
using Grpc.Net.Client;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Running;

namespace PerfTest.ControlPlane.Executors;

/// <summary>
/// The resource groups: the shared group is the embedded executor; each private group (cluster_id) is the standalone
/// executors that registered into it, still heartbeat and have not left, usable by the projects it is bound to
/// (Executors:Groups), or by every project when unbound. Registrations live in the database (<see cref="ExecutorStore"/>),
/// so every control-plane replica on it sees the same groups, whichever replica an executor registered with.
/// </summary>
public sealed class ExecutorRegistry(ExecutorEngine embedded, ExecutorStore store, ExecutorsOptions options, ChannelTls tls,
    TimeProvider clock, ILogger<ExecutorRegistry> logger) : IDisposable
{
    public const string Shared = "shared-cluster-internet";
    public const string Private = "private-cluster";

    /// <summary>An executor that missed this many heartbeats is gone.</summary>
    private const int MissedHeartbeats = 3;

    private readonly LocalExecutorClient _embedded = new(embedded);
    private readonly ConcurrentDictionary<string, Connection> _connections = new();
    private readonly List<(long ClusterId, int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly SemaphoreSlim _registering = new(1, 1);

    private readonly Dictionary<long, HashSet<string>> _bindings = options.Groups
        .GroupBy(g => g.ClusterId)
        .ToDictionary(g => g.Key, g => g.SelectMany(b => b.ProjectIds).ToHashSet(StringComparer.Ordinal));

    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(options.HeartbeatSeconds);

    /// <summary>How long an executor may go without a heartbeat before it counts as gone.</summary>
    public TimeSpan DeadAfter => MissedHeartbeats * HeartbeatInterval;

    /// <summary>Raised after an executor registered into a private group (its cluster_id): running groups take it in.</summary>
    public event Action<long>? Registered;

    /// <summary>
    /// The executors that run a plan for the resource group a start or debug request of <paramref name="tenant"/> names;
    /// 403 when the group is bound to other projects (checked first: whether it has executors is not told), 400 when it
    /// has none.
    /// </summary>
    /// <param name="tenant">The IAM project id of the request.</param>
    /// <param name="clusterType">The request's cluster_type.</param>
    /// <param name="clusterId">The request's cluster_id (the private group).</param>
    public async Task<IReadOnlyList<IExecutorClient>> ResolveAsync(string tenant, string? clusterType, long clusterId)
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
                var members = (await LiveAsync(clusterId)).Select(m => m.Client).ToList();
                return members.Count > 0
                    ? members
                    : throw ApiException.BadRequest($"private resource group {clusterId} has no executor: start one with --Executor:ClusterId={clusterId}");
            default:
                throw ApiException.BadRequest($"cluster_type '{clusterType}' is not known: use {Shared} or {Private}");
        }
    }

    /// <summary>The live executors of a private group, ordered by id (the order shares are split in), with what runs on them.</summary>
    public async Task<IReadOnlyList<LiveExecutor>> LiveAsync(long clusterId) =>
        (await store.LiveAsync(clusterId, AliveSinceUs()))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new LiveExecutor(ClientOf(r.Id, r.Address), r.Address, r.RunningCaseRuns))
            .ToList();

    /// <summary>Per private group, its executors live and lost (registered, not left, silent past <see cref="DeadAfter"/>).</summary>
    public Task<IReadOnlyList<GroupCount>> CountsAsync() => store.CountsAsync(AliveSinceUs());

    /// <summary>True when the private group is open to the project: it is bound to it, or bound to none (Executors:Groups).</summary>
    /// <param name="tenant">The IAM project id.</param>
    /// <param name="clusterId">The private group.</param>
    public bool MayUse(string tenant, long clusterId) => !_bindings.TryGetValue(clusterId, out var projects) || projects.Contains(tenant);

    /// <summary>
    /// Adds the executor to its private group, or refreshes it when it registers again from the same address. An id
    /// alive at another address is not taken over: the refusal names the id and both addresses; once the old one has
    /// missed its heartbeats, the new address takes the id. Null when registered.
    /// </summary>
    /// <param name="id">The executor's id.</param>
    /// <param name="address">Where the control plane reaches it.</param>
    /// <param name="clusterId">The private group it joins.</param>
    /// <param name="running">The case runs whose plans run on it.</param>
    public async Task<string?> TryRegisterAsync(string id, string address, long clusterId, IEnumerable<long> running)
    {
        await _registering.WaitAsync();
        try
        {
            var old = await store.GetAsync(id);
            if (old is not null && old.LeftUs is null && old.LastSeenUs >= AliveSinceUs() && !SameAddress(old.Address, address))
            {
                return $"executor id {id} is alive at {old.Address}; {address} cannot take it over. " +
                       $"Use another Executor:Id, or register again once the executor at {old.Address} has missed {MissedHeartbeats} heartbeats";
            }
            await store.UpsertAsync(id, address, clusterId, NowUs(), running);
        }
        finally
        {
            _registering.Release();
        }
        await WakeWaitersAsync();
        Registered?.Invoke(clusterId);
        return null;
    }

    /// <summary>Records a heartbeat; false when the executor is not known alive (it registers again).</summary>
    public Task<bool> HeartbeatAsync(string id, IEnumerable<long> running) => store.HeartbeatAsync(id, NowUs(), AliveSinceUs(), running);

    /// <summary>The executor is draining for shutdown: it leaves its group now.</summary>
    public Task LeaveAsync(string id) => store.LeaveAsync(id, NowUs());

    /// <summary>Whether the executor left its group on shutdown (rather than going silent).</summary>
    public async Task<bool> HasLeftAsync(string id) => (await store.GetAsync(id))?.LeftUs is not null;

    /// <summary>The client of an executor that registered once, alive or not (null when it never did): to stop a plan it may still run.</summary>
    public async Task<IExecutorClient?> KnownAsync(string id) => await store.GetAsync(id) is { } row ? ClientOf(row.Id, row.Address) : null;

    private static bool SameAddress(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y) ? x == y : a == b;

    /// <summary>
    /// Closes the channels of the executors gone for longer than <see cref="DropAfter"/> (a control plane that saw
    /// thousands of pods come and go would otherwise keep a channel, and its connection attempts, for each), and forgets
    /// those gone for longer than <see cref="ForgetAfter"/>. A channel closed too early is opened again when needed.
    /// </summary>
    /// <returns>The ids whose channels were closed.</returns>
    public async Task<IReadOnlyList<string>> DropGoneAsync()
    {
        var gone = await store.GoneSinceAsync(NowUs() - (long)DropAfter.TotalMicroseconds);
        var dropped = new List<string>();
        foreach (var id in gone)
        {
            if (_connections.TryRemove(id, out var connection))
            {
                connection.Channel.Dispose();
                dropped.Add(id);
            }
        }
        if (await store.ForgetAsync(NowUs() - (long)ForgetAfter.TotalMicroseconds) is var forgotten and > 0)
        {
            logger.LogInformation("Forgot {Count} executors not seen for {Hours} h", forgotten, ForgetAfter.TotalHours);
        }
        return dropped;
    }

    /// <summary>
    /// How long after its last heartbeat (or its leave) an executor's channel is closed: past its missed heartbeats and
    /// a minute more, by when its plans stopped (an executor stops its load once its control plane has been silent for
    /// its orphan grace, 30 s by default) and its streams ended.
    /// </summary>
    public TimeSpan DropAfter => DeadAfter + TimeSpan.FromMinutes(1);

    /// <summary>How long after its last heartbeat (or its leave) an executor's registration is deleted.</summary>
    public static TimeSpan ForgetAfter { get; } = TimeSpan.FromDays(1);

    /// <summary>How many executor channels are open now.</summary>
    public int OpenChannels => _connections.Count;

    /// <summary>Completes when at least <paramref name="count"/> live executors are in the private group.</summary>
    public async Task WaitForGroupAsync(long clusterId, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((clusterId, count, done));
        }
        await WakeWaitersAsync();
        await done.Task;
    }

    private async Task WakeWaitersAsync()
    {
        List<(long ClusterId, int Count, TaskCompletionSource Done)> waiting;
        lock (_waiters)
        {
            waiting = [.. _waiters];
        }
        foreach (var waiter in waiting)
        {
            if ((await store.LiveAsync(waiter.ClusterId, AliveSinceUs())).Count >= waiter.Count)
            {
                lock (_waiters)
                {
                    _waiters.Remove(waiter);
                }
                waiter.Done.TrySetResult();
            }
        }
    }

    /// <summary>The gRPC addresses of the live executors of a private group.</summary>
    public async Task<IReadOnlyList<string>> AddressesOfAsync(long clusterId) => (await LiveAsync(clusterId)).Select(e => e.Address).ToList();

    /// <summary>The client of an executor at an address; one channel per executor, a new one when its address changed.</summary>
    private IExecutorClient ClientOf(string id, string address)
    {
        var connection = _connections.AddOrUpdate(id,
            _ => Connect(id, address),
            (_, old) =>
            {
                if (old.Address == address)
                {
                    return old;
                }
                old.Channel.Dispose();
                return Connect(id, address);
            });
        return connection.Client;
    }

    private Connection Connect(string id, string address)
    {
        var channel = tls.CreateChannel(address, logger);
        return new Connection(address, channel, new GrpcExecutorClient(id, channel, options.SharedSecret));
    }

    private long NowUs() => ApiTime.NowMicros(clock);

    private long AliveSinceUs() => NowUs() - (long)DeadAfter.TotalMicroseconds;

    public void Dispose()
    {
        foreach (var c in _connections.Values)
        {
            c.Channel.Dispose();
        }
        _registering.Dispose();
    }

    private sealed record Connection(string Address, GrpcChannel Channel, IExecutorClient Client);
}

/// <summary>A live executor of a private group: how to reach it, and the case runs it said run on it.</summary>
public sealed record LiveExecutor(IExecutorClient Client, string Address, IReadOnlyList<long> RunningCaseRuns)
{
    public string Id => Client.Id;
}
