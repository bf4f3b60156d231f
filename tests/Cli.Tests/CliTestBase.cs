using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.EndToEnd.Tests;
using Xunit;

namespace PerfTest.Cli.Tests;

/// <summary>What one invocation of the CLI printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- out\n{Out}\n--- err\n{Error}";
}

/// <summary>
/// A real control plane (embedded executor, SQLite) and a loopback target; the CLI runs in this process through
/// <see cref="CliApp.RunAsync"/> with its own environment variables and writers (not a terminal).
/// </summary>
public abstract class CliTestBase : IAsyncLifetime
{
    public const string Tenant = RunHarness.Tenant;

    protected ControlPlaneServer Server { get; private set; } = null!;
    protected TargetServer Target { get; private set; } = null!;
    protected RunHarness Api { get; private set; } = null!;
    protected Backend Store { get; } = Backend.NewSqlite();
    protected string Dir { get; } = Directory.CreateTempSubdirectory("perftest-cli-").FullName;

    /// <summary>Configuration of the control plane besides its storage (none: anonymous dev mode).</summary>
    protected virtual IDictionary<string, string?>? MoreSettings => null;

    /// <summary>The CLI's environment: endpoint and project id of this test's control plane.</summary>
    protected Dictionary<string, string?> Env { get; } = new();

    public async Task InitializeAsync()
    {
        Target = await TargetServer.StartAsync();
        Server = await ControlPlaneServer.StartAsync(Store.Settings(MoreSettings));
        Api = new RunHarness(Server);
        Env["PERFTEST_ENDPOINT"] = Server.BaseAddress.ToString();
        Env["PERFTEST_PROJECT_ID"] = Tenant;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Target.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    protected Task<CliResult> CliAsync(params string[] args) => CliAsync(CancellationToken.None, args);

    protected async Task<CliResult> CliAsync(CancellationToken interrupt, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new CliEnvironment { Variable = n => Env.GetValueOrDefault(n), Out = output, Error = error, IsTerminal = false };
        var exit = await CliApp.RunAsync(args, env, interrupt);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The id of the (one) task named <paramref name="name"/>.</summary>
    protected async Task<long> TaskIdAsync(string name)
    {
        foreach (var project in (await Server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites")).Object["projects"]!.AsArray())
        {
            var tasks = (await Server.Http.GetJsonAsync($"/v1/{Tenant}/all-tasks/{project!["id"]}")).Object["tasks"]!.AsArray();
            if (tasks.FirstOrDefault(t => t!["name"]!.GetValue<string>() == name) is { } task)
            {
                return task["id"]!.GetValue<long>();
            }
        }
        throw new InvalidOperationException($"no task {name}");
    }

    /// <summary>Waits on the control plane's own completion of the task's run.</summary>
    protected async Task WaitForEndAsync(string task) =>
        await Server.App.Services.GetRequiredService<RunCoordinator>().WaitAsync(await TaskIdAsync(task));

    /// <summary>Writes a test file into this test's directory; answers its path.</summary>
    protected string File(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A project "shop" with a variable, a transaction and a task "smoke" whose case "home" GETs the target's /ok.</summary>
    protected string ShopYaml(int seconds = 2, int vus = 2, string path = "/ok") => $"""
        project:
          name: shop
          description: the shop's load tests
        variables:
          - name: ids
            variable_type: 1
            variable: [1, 100]
        transactions:
          - name: browse
            contents: []
        tasks:
          - name: smoke
            description: {vus} VUs for {seconds} s
            cases:
              - name: home
                stages:
                  - name: steady
                    operate_mode: 0
                    time: {seconds}
                    pressure_mode: 0
                    issue_num: {vus}
                requests:
                  - name: get-ok
                    method: GET
                    url: {new Uri(Target.BaseAddress, path)}
                    headers:
                      Accept: text/plain
        """;
}
