using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Storage;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Storage;

/// <summary>
/// The statements replicas share runs by (leases, stop flags, the stop list an executor gets in its heartbeat), on
/// both providers: the real PostgreSQL of ./test.sh and a SQLite file. Lists of ids in <c>IN (...)</c> are where the
/// two differ (Dapper expands them for SQLite only), so each statement runs here with one id, several, and more than
/// fit in one statement.
/// </summary>
public sealed class RunOwnershipStoreTests
{
    private static async Task<Database> OpenAsync(string provider)
    {
        var backend = await Backend.NewAsync(provider);
        var db = new Database(new StorageOptions
        {
            Provider = Enum.Parse<StorageProvider>(provider),
            PostgresConnectionString = provider == "Postgres" ? backend.Location : null,
            SqlitePath = backend.Location,
        });
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        return db;
    }

    /// <summary>A project with one task and <paramref name="count"/> active task runs (status 0), each with one case run.</summary>
    private static async Task<(long[] TaskRuns, long[] CaseRuns)> ActiveRunsAsync(Database db, int count)
    {
        await using var c = await db.OpenAsync();
        var project = await c.ExecuteScalarAsync<long>(
            "INSERT INTO projects (tenant, name, doc, created_us, updated_us) VALUES ('t', 'p', '{}', 1, 1) RETURNING id");
        var task = await c.ExecuteScalarAsync<long>(
            "INSERT INTO tasks (tenant, project_id, name, edition, doc, created_us, updated_us) VALUES ('t', @project, 'k', 1, '{}', 1, 1) RETURNING id",
            new { project });
        var taskRuns = new long[count];
        var caseRuns = new long[count];
        for (var i = 0; i < count; i++)
        {
            taskRuns[i] = await c.ExecuteScalarAsync<long>(
                "INSERT INTO task_runs (tenant, task_id, project_id, run_status, cluster_type, cluster_id, started_us, doc) " +
                "VALUES ('t', @task, @project, 0, 'private-cluster', 1, 1, '{}') RETURNING id", new { task, project });
            caseRuns[i] = await c.ExecuteScalarAsync<long>(
                "INSERT INTO case_runs (tenant, task_run_id, case_id, case_name, run_status, plan, requests) " +
                "VALUES ('t', @taskRun, 1, 'c', 0, '{}', '[]') RETURNING id", new { taskRun = taskRuns[i] });
        }
        return (taskRuns, caseRuns);
    }

    [Theory]
    [InlineData("Sqlite", 1)]
    [InlineData("Sqlite", 3)]
    [InlineData("Postgres", 1)]
    [InlineData("Postgres", 3)]
    [InlineData("Postgres", SqlIdList.MaxIds + 2)]
    public async Task Leases_renew_report_stops_asked_from_another_replica_and_release_for_every_run_of_the_owner(string provider, int runs)
    {
        using var db = await OpenAsync(provider);
        var (taskRuns, _) = await ActiveRunsAsync(db, runs);
        var leases = new RunLeaseStore(db);
        foreach (var id in taskRuns)
        {
            Assert.True(await leases.ClaimAsync(id, "a", nowUs: 100, untilUs: 200));
        }
        // Another replica cannot claim them while the lease holds; a stop asked there reaches the owner's renewal.
        Assert.False(await leases.ClaimAsync(taskRuns[^1], "b", nowUs: 150, untilUs: 300));
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE task_runs SET stop_requested = 1 WHERE id = @id", new { id = taskRuns[^1] });
        }

        Assert.Equal([taskRuns[^1]], await leases.RenewAsync("a", taskRuns, untilUs: 1_000));
        // Renewed: at 500 no run is orphaned, though the claims said 200.
        Assert.Empty(await leases.OrphanedAsync("b", [], nowUs: 500));

        await leases.ReleaseAsync("a", taskRuns);
        Assert.Equal(taskRuns, (await leases.OrphanedAsync("b", [], nowUs: 500)).Select(r => r.Id).ToArray());
    }

    [Theory]
    [InlineData("Sqlite", 2)]
    [InlineData("Postgres", 2)]
    [InlineData("Postgres", 3)]
    [InlineData("Postgres", SqlIdList.MaxIds + 2)]
    public async Task An_executor_is_told_to_stop_the_case_runs_that_are_over_and_those_its_group_counted_it_lost_in(string provider, int runs)
    {
        using var db = await OpenAsync(provider);
        var (_, caseRuns) = await ActiveRunsAsync(db, runs);
        var changes = new GroupChangeStore(db);
        foreach (var id in caseRuns)
        {
            await changes.AddAsync(id, 1, "e-1", GroupChange.Started);
        }
        await changes.AddAsync(caseRuns[0], 2, "e-1", GroupChange.Lost);
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE case_runs SET run_status = 2 WHERE id = @id", new { id = caseRuns[^1] });
        }

        var stop = await changes.OverForAsync("e-1", caseRuns);

        Assert.Equal(new[] { caseRuns[0], caseRuns[^1] }, stop.Order());
        Assert.Empty(await changes.OverForAsync("e-2", caseRuns.Skip(1).SkipLast(1).ToList()));
        Assert.Empty(await changes.MembersAsync(caseRuns[0]));
        Assert.Equal(["e-1"], await changes.MembersAsync(caseRuns[^1]));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_active_runs_of_a_project_and_of_a_tenant_are_found_whichever_replica_owns_them_and_ended_ones_are_not(string provider)
    {
        using var db = await OpenAsync(provider);
        var (taskRuns, _) = await ActiveRunsAsync(db, 3);
        var leases = new RunLeaseStore(db);
        Assert.True(await leases.ClaimAsync(taskRuns[0], "a", nowUs: 100, untilUs: 200));
        Assert.True(await leases.ClaimAsync(taskRuns[1], "b", nowUs: 100, untilUs: 200));
        long project;
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE task_runs SET run_status = 2 WHERE id = @id", new { id = taskRuns[2] });  // ended
            project = await c.ExecuteScalarAsync<long>("SELECT project_id FROM task_runs WHERE id = @id", new { id = taskRuns[0] });
        }

        Assert.Equal(taskRuns[..2], (await leases.ActiveOfProjectAsync("t", project)).Select(r => r.Id).ToArray());
        Assert.Equal(taskRuns[..2], (await leases.ActiveOfTenantAsync("t")).Select(r => r.Id).ToArray());
        Assert.Empty(await leases.ActiveOfProjectAsync("other", project));  // another tenant's view
        Assert.Empty(await leases.ActiveOfTenantAsync("other"));
        Assert.Empty(await leases.ActiveOfProjectAsync("t", project + 1000));
    }
}
