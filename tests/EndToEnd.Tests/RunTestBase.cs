using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>A real local target and a real control plane (embedded executor, SQLite), driven through the REST API.</summary>
public abstract class RunTestBase : IAsyncLifetime
{
    protected ControlPlaneServer Server { get; private set; } = null!;
    protected TargetServer Target { get; private set; } = null!;
    protected RunHarness Run { get; private set; } = null!;

    /// <summary>Where the control plane keeps its data (a SQLite file).</summary>
    protected Backend Store { get; } = Backend.NewSqlite();

    /// <summary>The old edition's path prefix for the harness's IAM project.</summary>
    protected const string V1 = "/v1/" + RunHarness.Tenant;

    /// <summary>Configuration of the control plane on top of its storage settings (none by default).</summary>
    protected virtual IDictionary<string, string?>? MoreSettings => null;

    /// <summary>One VU, five iterations: each card runs exactly five times.</summary>
    protected const string FiveIterations = """[ { "operate_mode": 1, "count": 5, "pressure_mode": 0, "issue_num": 1 } ]""";

    /// <summary>Runs a case of one packet card (JSON) through the REST API; returns the report's case performance.</summary>
    protected async Task<System.Text.Json.Nodes.JsonObject> RunCardAsync(string card, string stages = FiveIterations) =>
        RunHarness.Performance(await RunCardReportAsync(card, stages));

    /// <summary>As <see cref="RunCardAsync"/>, returning the whole report (details and brokens).</summary>
    protected async Task<System.Text.Json.Nodes.JsonObject> RunCardReportAsync(string card, string stages = FiveIterations)
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(), stages);
        var r = await Run.Http.PutJsonAsync($"/v1/{RunHarness.Tenant}/task-cases/{c.Case}/target/all",
            $$"""{ "name": "c", "contents": [ { "content": [ {{card}} ] } ], "stages": {{stages}} }""");
        Assert.True(r.Status == 202, r.Text);
        var runId = await Run.StartAsync(c);
        LastRunId = runId;
        await Run.WaitAsync(c);
        return await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
    }

    /// <summary>The task run id of the last <see cref="RunCardAsync"/> (or <see cref="RunCardReportAsync"/>).</summary>
    protected long LastRunId { get; private set; }

    /// <summary>Runs a statement on the control plane's database itself (a real storage fault, a value stored earlier); returns the rows changed.</summary>
    protected async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Store.Location}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        Target = await TargetServer.StartAsync();
        Server = await ControlPlaneServer.StartAsync(Store.Settings(MoreSettings));
        Run = new RunHarness(Server);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Target.DisposeAsync();
    }
}
