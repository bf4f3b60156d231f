using Microsoft.Playwright;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.EndToEnd.Tests;
using Xunit;

namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>
/// One test class's world: a real control plane in this process (Kestrel on a free 127.0.0.1 port, SQLite, the
/// embedded executor), a loopback HTTP target for its runs, and one chromium. Each test takes a new browser context.
/// </summary>
public abstract class ConsoleFixture : IAsyncLifetime
{
    private readonly Backend _store = Backend.NewSqlite();

    public ControlPlaneServer Server { get; private set; } = null!;
    public TargetServer Target { get; private set; } = null!;
    public Chromium Chromium { get; private set; } = null!;

    /// <summary>Every message the control plane logs (Information and above).</summary>
    public LogSink Logs { get; } = new();

    /// <summary>The control plane's address, as the browser opens it.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>The target's /ok URL: answers at once.</summary>
    public string TargetOk => new Uri(Target.BaseAddress, "/ok").ToString();

    /// <summary>Configuration on top of the storage settings (credentials, for instance).</summary>
    protected abstract IDictionary<string, string?> Settings { get; }

    /// <summary>A REST client (with the credentials of <paramref name="projectId"/>'s owner) that drives runs as the SDKs do.</summary>
    public abstract RunHarness Api(string projectId);

    /// <summary>A task run made through the REST API, ended: its ids and the API's v1 report of its case run.</summary>
    public sealed record FinishedRun(RunHarness.Created Created, long TaskRunId, long CaseRunId, System.Text.Json.Nodes.JsonObject Report);

    /// <summary>
    /// Creates (unless <paramref name="created"/> is given) a project with a task of one HTTP GET on the target and runs it to its
    /// end: by default <paramref name="vus"/> VUs, <paramref name="iterations"/> iterations each, so it ends by itself within a second.
    /// </summary>
    /// <param name="projectId">The IAM project id.</param>
    /// <param name="created">A task made before (another run of it), else a new one.</param>
    /// <param name="path">The target's path the case gets.</param>
    /// <param name="vus">VUs of the new task's stage.</param>
    /// <param name="iterations">Iterations of each VU.</param>
    /// <param name="seconds">When given, the stage runs for this long instead of a number of iterations (curves of several points).</param>
    public async Task<FinishedRun> RunToEndAsync(string projectId, RunHarness.Created? created = null, string path = "/delay/5",
        int vus = 2, int iterations = 40, int? seconds = null)
    {
        var api = Api(projectId);
        var stage = seconds is { } s
            ? $$"""{ "name": "s", "operate_mode": 0, "time": {{s}}, "pressure_mode": 0, "issue_num": {{vus}} }"""
            : $$"""{ "name": "s", "operate_mode": 1, "count": {{iterations}}, "pressure_mode": 0, "issue_num": {{vus}} }""";
        var c = created ?? await api.CreateAsync(new Uri(Target.BaseAddress, path).ToString(), $"[ {stage} ]");
        var run = await api.StartAsync(c);
        await api.WaitAsync(c);
        var caseRun = await api.CaseRunIdAsync(c);
        return new FinishedRun(c, run, caseRun, await api.ReportAsync(run, caseRun));
    }

    /// <summary>A new browser context on the control plane's address: its own sessionStorage, so nothing is signed in.</summary>
    public Task<IBrowserContext> NewContextAsync() => Chromium.NewContextAsync(BaseAddress);

    public async Task InitializeAsync()
    {
        Target = await TargetServer.StartAsync();
        Server = await ControlPlaneServer.StartAsync(_store.Settings(Settings), logs: Logs);
        Chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) { await Chromium.DisposeAsync(); }
        if (Server is not null) { await Server.DisposeAsync(); }
        if (Target is not null) { await Target.DisposeAsync(); }
    }
}

/// <summary>Anonymous dev mode: no credential is configured, the pages need none.</summary>
public sealed class DevConsole : ConsoleFixture
{
    public const string Tenant = "c0de0000dev0";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public override RunHarness Api(string projectId) => new(Server, projectId);
}

/// <summary>Two tokens, each for its own IAM project id: the page asks for a token and sees only its projects.</summary>
public sealed class TokenConsole : ConsoleFixture
{
    public const string TenantA = "aaaa0000aaaa";
    public const string TenantB = "bbbb0000bbbb";

    /// <summary>Fresh per fixture, so that finding one in a URL cannot be a coincidence.</summary>
    public string TokenA { get; } = "tok-a-" + Guid.NewGuid().ToString("N");
    public string TokenB { get; } = "tok-b-" + Guid.NewGuid().ToString("N");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Tokens:0:Token"] = TokenA,
        ["Auth:Tokens:0:ProjectIds:0"] = TenantA,
        ["Auth:Tokens:1:Token"] = TokenB,
        ["Auth:Tokens:1:ProjectIds:0"] = TenantB,
    };

    public string TokenOf(string projectId) => projectId == TenantA ? TokenA : projectId == TenantB ? TokenB
        : throw new ArgumentException($"no token for {projectId}", nameof(projectId));

    public override RunHarness Api(string projectId)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Auth-Token", TokenOf(projectId));
        return new RunHarness(http, projectId, TimeSpan.FromMinutes(2));
    }
}
