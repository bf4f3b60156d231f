using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Npgsql;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.EndToEnd.Tests;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// The production overlay (deploy/kubernetes/overlays/production) run on this machine without Kubernetes: every pod a
/// process in a network namespace of its own on a private bridge (<see cref="Bridge"/>, <see cref="PodNamespace"/>,
/// <see cref="Pod"/>), started from the rendered pod template (<see cref="RenderedDeployment"/>); Services are names in
/// every namespace's hosts file that resolve to a pod the simulation routes them to (no kube-proxy: a Service's port
/// must be its pod's port, which <see cref="StartAsync"/> checks). The control plane's Service has every ready replica
/// as an endpoint and spreads over them as kube-proxy spreads connections: each namespace's hosts file names one of
/// them (by the namespace's index), and the API client opens its connections on them in turn. PostgreSQL is the real server (Debian's, as the test
/// infrastructure starts it), in the namespace of the StatefulSet's pod. The load target is <see cref="TargetServer"/>,
/// in this process but listening in a namespace of its own. Root only (namespaces, veth pairs, a bridge).
/// </summary>
internal sealed class ClusterSimulation : IAsyncDisposable
{
    public const string ControlPlaneName = "perftest-control-plane";
    public const string ExecutorName = "perftest-executor";
    public const string PostgresName = "perftest-postgres";

    /// <summary>How long a pod may take to pass its readiness probe.</summary>
    public static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(60);

    private readonly Action<string> _log;
    private readonly List<PodNamespace> _namespaces = [];
    private readonly List<Pod> _pods = [];
    private readonly Dictionary<string, IPAddress> _routes = [];
    private readonly List<Pod> _controlPlaneEndpoints = [];
    private int _apiConnections;
    private Bridge? _bridge;
    private ThrowawayPostgres? _postgres;
    private TargetServer? _target;
    private HttpClient? _api;

    private ClusterSimulation(Rendered manifests, IReadOnlyList<V1Secret> secrets, string projectId, Action<string> log)
    {
        Manifests = manifests;
        Secrets = secrets;
        ProjectId = projectId;
        _log = log;
        ControlPlaneDeployment = RenderedDeployment.Of(manifests, ControlPlaneName, secrets);
        ExecutorDeployment = RenderedDeployment.Of(manifests, ExecutorName, secrets);
        PostgresStatefulSet = RenderedDeployment.Of(manifests, PostgresName, secrets);
    }

    public Rendered Manifests { get; }

    /// <summary>The Secrets created beside the manifests, as docs/deployment.md (step 2) has the operator create them.</summary>
    public IReadOnlyList<V1Secret> Secrets { get; }

    /// <summary>The IAM project id of the API credentials (Secret perftest-api-credentials, key project-id).</summary>
    public string ProjectId { get; }

    public RenderedDeployment ControlPlaneDeployment { get; }

    public RenderedDeployment ExecutorDeployment { get; }

    public RenderedDeployment PostgresStatefulSet { get; }

    public Bridge Network => _bridge ?? throw new InvalidOperationException("not started");

    public TargetServer Target => _target ?? throw new InvalidOperationException("not started");

    /// <summary>The URL the load goes to: the target's <c>/ok</c> in its namespace.</summary>
    public Uri TargetUrl => new(Target.BaseAddress, "/ok");

    /// <summary>The control-plane pods alive, oldest first.</summary>
    public IReadOnlyList<Pod> ControlPlanes => _pods.Where(p => p.Deployment == ControlPlaneDeployment && !p.HasExited).ToList();

    /// <summary>The control-plane pods the Service routes to (its endpoints), oldest first.</summary>
    public IReadOnlyList<Pod> ControlPlaneEndpoints => _controlPlaneEndpoints;

    /// <summary>The executor pods alive, oldest first.</summary>
    public IReadOnlyList<Pod> Executors => _pods.Where(p => p.Deployment == ExecutorDeployment && !p.HasExited).ToList();

    /// <summary>
    /// The REST API through the Service <c>perftest-control-plane</c> (its <c>api</c> port), with the X-Auth-Token of
    /// the Secret perftest-api-credentials. A connection goes to the pod the Service routes to when it opens.
    /// </summary>
    public HttpClient Api => _api ?? throw new InvalidOperationException("not started");

    /// <summary>Drives runs through <see cref="Api"/>; waits poll the task's status for at most <paramref name="waitLimit"/>.</summary>
    public RunHarness Runs(TimeSpan waitLimit) => new(Api, ProjectId, waitLimit);

    /// <summary>
    /// Renders the production overlay, creates its Secrets, and starts PostgreSQL, the target, the control plane (its
    /// rendered replicas) and <paramref name="executors"/> executors (the rendered replicas when null), each ready.
    /// </summary>
    /// <param name="log">Where the simulation says what it does (pods started, ready, stopped).</param>
    /// <param name="executors">Executor replicas to start with.</param>
    /// <param name="projectId">The IAM project id the API token may use.</param>
    public static async Task<ClusterSimulation> StartAsync(Action<string> log, int? executors = null, string projectId = "sim0000project")
    {
        var manifests = Rendered.Overlay("production");
        var simulation = new ClusterSimulation(manifests, CreateSecrets(projectId), projectId, log);
        try
        {
            simulation.CheckServicePorts();
            simulation._bridge = Bridge.Create();
            log($"bridge {simulation._bridge.Name} {simulation._bridge.Cidr}");
            // The target is in the bridge's subnet, this cluster's Service range: allowed as the manifest's comment says.
            simulation.ControlPlaneDeployment.SetEnv("Targets__Allow__0", simulation._bridge.Cidr);
            await simulation.StartPostgresAsync();
            await simulation.StartTargetAsync();
            for (var i = 0; i < simulation.ControlPlaneDeployment.Replicas; i++)
            {
                simulation.AddEndpoint(await simulation.StartPodAsync(simulation.ControlPlaneDeployment));
            }
            simulation._api = simulation.CreateApiClient();
            await simulation.ScaleExecutorsAsync(executors ?? simulation.ExecutorDeployment.Replicas);
            return simulation;
        }
        catch
        {
            await simulation.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>kubectl scale deployment/perftest-executor --replicas=N</c>: starts pods until <paramref name="replicas"/> are
    /// ready, or stops the newest ones (SIGTERM, SIGKILL after the grace period) until that many are left.
    /// </summary>
    public async Task ScaleExecutorsAsync(int replicas)
    {
        var alive = Executors;
        if (replicas > alive.Count)
        {
            await Task.WhenAll(Enumerable.Range(0, replicas - alive.Count).Select(_ => StartPodAsync(ExecutorDeployment)));
        }
        else
        {
            await Task.WhenAll(alive.Skip(replicas).Reverse().Select(StopPodAsync));
        }
        _log($"executors: {Executors.Count}");
    }

    /// <summary>Deletes a pod as Kubernetes does: SIGTERM, SIGKILL after its grace period.</summary>
    public async Task StopPodAsync(Pod pod)
    {
        var graceful = await pod.StopAsync();
        _log($"{pod.Name} stopped ({(graceful ? "within its grace period" : "killed after its grace period")})");
    }

    /// <summary>SIGKILL: a crashed container or a lost node.</summary>
    public async Task KillPodAsync(Pod pod)
    {
        await pod.KillAsync();
        _log($"{pod.Name} killed");
    }

    /// <summary>
    /// A rolling update of the control plane as the Deployment's strategy does it with one pod of surge and none
    /// unavailable: for each old replica, oldest first, a new one is started and ready, becomes an endpoint of the
    /// Service, the old one stops being one and is deleted (<paramref name="kill"/>: SIGKILL, else SIGTERM and its
    /// grace period).
    /// </summary>
    /// <returns>The new replicas.</returns>
    public async Task<IReadOnlyList<Pod>> RollControlPlaneAsync(bool kill)
    {
        var replacements = new List<Pod>();
        foreach (var old in _controlPlaneEndpoints.ToList())
        {
            var replacement = await StartPodAsync(ControlPlaneDeployment);
            AddEndpoint(replacement);
            RemoveEndpoint(old);
            await (kill ? KillPodAsync(old) : StopPodAsync(old));
            replacements.Add(replacement);
        }
        return replacements;
    }

    /// <summary>Makes a ready control-plane pod an endpoint of its Service.</summary>
    public void AddEndpoint(Pod pod)
    {
        _controlPlaneEndpoints.Add(pod);
        WriteHostsFiles();
        _log($"service {ControlPlaneName} + {pod.Name} ({pod.Address})");
    }

    /// <summary>Takes a control-plane pod out of its Service (as a pod being deleted is, before its SIGTERM).</summary>
    public void RemoveEndpoint(Pod pod)
    {
        _controlPlaneEndpoints.Remove(pod);
        WriteHostsFiles();
        _log($"service {ControlPlaneName} - {pod.Name} ({pod.Address})");
    }

    /// <summary>Every line the given pods wrote, for failure messages.</summary>
    public string Logs() => string.Join("\n", _pods.Select(p => $"--- {p.Name} ({p.Address}){(p.HasExited ? " exited" : "")}\n{p.Tail(60)}"));

    /// <summary>Writes each pod's whole log to <c>DIRECTORY/POD.log</c>.</summary>
    public void WriteLogs(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var pod in _pods)
        {
            File.WriteAllLines(Path.Combine(directory, pod.Name + ".log"), pod.Log.Lines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        foreach (var pod in _pods)
        {
            await pod.DisposeAsync();
        }
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }
        _bridge?.Dispose();
    }

    /// <summary>The three Secrets of docs/deployment.md, step 2, with fresh random values.</summary>
    private static List<V1Secret> CreateSecrets(string projectId)
    {
        static string Hex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
        static V1Secret Secret(string name, params (string Key, string Value)[] data) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "perftest" },
            Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
        };
        return
        [
            Secret("perftest-postgres", ("password", Hex(24))),
            Secret("perftest-executor-secret", ("shared-secret", Hex(32))),
            Secret("perftest-api-credentials", ("token", Hex(32)), ("project-id", projectId)),
        ];
    }

    /// <summary>A Service resolves to a pod address here, with no port translation: each port must be its target port.</summary>
    private void CheckServicePorts()
    {
        foreach (var (service, deployment) in new[] { (ControlPlaneName, ControlPlaneDeployment), (PostgresName, PostgresStatefulSet) })
        {
            var rendered = Manifests.All<V1Service>().Single(s => s.Metadata.Name == service);
            foreach (var port in rendered.Spec.Ports)
            {
                var target = deployment.ContainerPort(port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (target != port.Port)
                {
                    throw new NotSupportedException($"Service {service} port {port.Name} {port.Port} -> {target}: the simulation maps no ports");
                }
            }
        }
    }

    private PodNamespace NewNamespace()
    {
        var ns = PodNamespace.Create(Network, _namespaces.Count);
        ns.WriteHosts(HostEntries(_namespaces.Count));
        _namespaces.Add(ns);
        return ns;
    }

    private async Task<Pod> StartPodAsync(RenderedDeployment deployment)
    {
        var name = $"{deployment.Name}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()[..5]}";
        var pod = Pod.Start(deployment, name, NewNamespace());
        _pods.Add(pod);
        _log($"{pod.Name} started at {pod.Address} (pid {pod.Id})");
        await pod.WaitReadyAsync(ReadyLimit);
        _log($"{pod.Name} ready");
        return pod;
    }

    /// <summary>
    /// PostgreSQL as the StatefulSet's pod perftest-postgres-0 would run it: in its own namespace, on the container's
    /// port, the user, database and password of the pod's environment (POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD,
    /// which the postgres image's entrypoint applies), password authentication (scram-sha-256) from the subnet.
    /// The control plane's rendered connection string (Host=perftest-postgres;...;Password=$(POSTGRES_PASSWORD);
    /// Database=perftest) is used as it is: nothing in it is rewritten.
    /// </summary>
    private async Task StartPostgresAsync()
    {
        var ns = NewNamespace();
        var env = PostgresStatefulSet.Environment(image: null, $"{PostgresName}-0", ns.Address);
        if (env["POSTGRES_USER"] != ThrowawayPostgres.User)
        {
            throw new NotSupportedException($"POSTGRES_USER {env["POSTGRES_USER"]}: the throw-away cluster's superuser is {ThrowawayPostgres.User}");
        }
        var port = PostgresStatefulSet.ContainerPort("postgres");
        _postgres = await ThrowawayPostgres.StartAsync(new ThrowawayPostgres.Placement(ns.Name, ns.Address.ToString(), port,
            [$"host all all {Network.Cidr} scram-sha-256"]));
        await using (var admin = new NpgsqlConnection(_postgres.ConnectionString))
        {
            await admin.OpenAsync();
            foreach (var sql in new[]
                     {
                         $"ALTER ROLE \"{env["POSTGRES_USER"]}\" PASSWORD '{env["POSTGRES_PASSWORD"].Replace("'", "''", StringComparison.Ordinal)}'",
                         $"CREATE DATABASE \"{env["POSTGRES_DB"]}\"",
                     })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }
        // What the control plane will do: over the bridge, with the password.
        await using (var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
                     {
                         Host = ns.Address.ToString(), Port = port, Username = env["POSTGRES_USER"], Password = env["POSTGRES_PASSWORD"],
                         Database = env["POSTGRES_DB"], Pooling = false,
                     }.ConnectionString))
        {
            await check.OpenAsync();
        }
        _routes[PostgresName] = ns.Address;
        WriteHostsFiles();
        _log($"{PostgresName}-0 (PostgreSQL) ready at {ns.Address}:{port}");
    }

    private async Task StartTargetAsync()
    {
        var ns = NewNamespace();
        var address = new IPEndPoint(ns.Address, 80);
        _target = await TargetServer.StartAsync(listenOn: (Native.ListenIn(ns.Name, address), address));
        _log($"target at {_target.BaseAddress}");
    }

    private HttpClient CreateApiClient()
    {
        var service = Manifests.All<V1Service>().Single(s => s.Metadata.Name == ControlPlaneName);
        var apiPort = service.Spec.Ports.Single(p => p.Name == "api").Port;
        var handler = new SocketsHttpHandler
        {
            // A connection lives at most a second: after a Service change, requests go to the new pod.
            PooledConnectionLifetime = TimeSpan.FromSeconds(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var address = context.DnsEndPoint.Host == ControlPlaneName
                    ? ControlPlaneEndpoint(Interlocked.Increment(ref _apiConnections)).Address
                    : IPAddress.Parse(context.DnsEndPoint.Host);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var token = Encoding.UTF8.GetString(Secrets.Single(s => s.Metadata.Name == "perftest-api-credentials").Data["token"]);
        var client = new HttpClient(handler) { BaseAddress = new Uri($"http://{ControlPlaneName}:{apiPort}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        return client;
    }

    /// <summary>The control-plane endpoint the <paramref name="n"/>th connection (or namespace) goes to.</summary>
    private Pod ControlPlaneEndpoint(int n) => _controlPlaneEndpoints[(int)((uint)n % (uint)_controlPlaneEndpoints.Count)];

    /// <summary>
    /// Each Service by its short and cluster names (name, name.ns, name.ns.svc, name.ns.svc.cluster.local) as the
    /// namespace with the given index sees it: PostgreSQL's one pod, and one of the control plane's endpoints.
    /// </summary>
    private List<(string Name, IPAddress Address)> HostEntries(int index)
    {
        var routes = new Dictionary<string, IPAddress>(_routes);
        if (_controlPlaneEndpoints.Count > 0)
        {
            routes[ControlPlaneName] = ControlPlaneEndpoint(index).Address;
        }
        var ns = ControlPlaneDeployment.Namespace;
        return routes.SelectMany(r => new[] { "", $".{ns}", $".{ns}.svc", $".{ns}.svc.cluster.local" }.Select(suffix => (r.Key + suffix, r.Value)))
            .ToList();
    }

    private void WriteHostsFiles()
    {
        for (var i = 0; i < _namespaces.Count; i++)
        {
            _namespaces[i].WriteHosts(HostEntries(i));
        }
    }
}
