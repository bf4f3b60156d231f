using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Runs;

/// <summary>An active task run as the lease loop sees it: who owns it and whether a stop was asked for it.</summary>
public sealed class LeasedRunRow
{
    public long Id { get; set; }
    public string Tenant { get; set; } = "";
    public long TaskId { get; set; }
    public string? Owner { get; set; }
    public long? LeaseUntilUs { get; set; }
    public int StopRequested { get; set; }
}

/// <summary>An active task run of a tenant with its document (the quotas read its peak VUs).</summary>
public sealed class TenantRunRow
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public string Doc { get; set; } = "{}";
}

/// <summary>
/// Who owns each active task run: the control plane that runs it holds a lease in the database and renews it; another
/// replica takes a run over only once its lease expired, so two replicas never both run (or end) the same run.
/// </summary>
public sealed class RunLeaseStore(Database db)
{
    private const string Active = "run_status IN (0, 5, 9)";

    /// <summary>Makes <paramref name="owner"/> the owner of a task run it just created or took over, until <paramref name="untilUs"/>.</summary>
    /// <returns>False when another owner holds a lease that has not expired at <paramref name="nowUs"/>.</returns>
    public async Task<bool> ClaimAsync(long taskRunId, string owner, long nowUs, long untilUs)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            $"UPDATE task_runs SET owner = @owner, lease_until_us = @untilUs WHERE id = @taskRunId AND {Active} " +
            "AND (owner IS NULL OR owner = @owner OR lease_until_us IS NULL OR lease_until_us < @nowUs)",
            new { taskRunId, owner, nowUs, untilUs }) == 1;
    }

    /// <summary>Extends the leases of the owner's runs; returns those of them a stop was asked for (from any replica).</summary>
    public async Task<IReadOnlyList<long>> RenewAsync(string owner, IReadOnlyCollection<long> taskRunIds, long untilUs)
    {
        if (taskRunIds.Count == 0)
        {
            return [];
        }
        await using var c = await db.OpenAsync();
        var stopped = new List<long>();
        foreach (var chunk in taskRunIds.Chunk(SqlIdList.MaxIds))
        {
            var parameters = new DynamicParameters(new { owner, untilUs });
            var ids = SqlIdList.Add(parameters, chunk);
            await c.ExecuteAsync($"UPDATE task_runs SET lease_until_us = @untilUs WHERE owner = @owner AND id IN {ids} AND {Active}", parameters);
            stopped.AddRange(await c.QueryAsync<long>($"SELECT id FROM task_runs WHERE owner = @owner AND id IN {ids} AND stop_requested = 1", parameters));
        }
        return stopped;
    }

    /// <summary>Gives up the owner's leases on these runs (it shuts down): another replica may take them over at once.</summary>
    public async Task ReleaseAsync(string owner, IReadOnlyCollection<long> taskRunIds)
    {
        if (taskRunIds.Count == 0)
        {
            return;
        }
        await using var c = await db.OpenAsync();
        foreach (var chunk in taskRunIds.Chunk(SqlIdList.MaxIds))
        {
            var parameters = new DynamicParameters(new { owner });
            await c.ExecuteAsync($"UPDATE task_runs SET lease_until_us = 0 WHERE owner = @owner AND id IN {SqlIdList.Add(parameters, chunk)}", parameters);
        }
    }

    /// <summary>Active runs no live owner holds: never owned, owned by <paramref name="owner"/> in a former life, or whose lease expired.</summary>
    public async Task<IReadOnlyList<LeasedRunRow>> OrphanedAsync(string owner, IReadOnlyCollection<long> ownedNow, long nowUs)
    {
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<LeasedRunRow>(
            $"SELECT id, tenant, task_id, owner, lease_until_us, stop_requested FROM task_runs WHERE {Active} " +
            "AND (owner IS NULL OR owner = @owner OR lease_until_us IS NULL OR lease_until_us < @nowUs) ORDER BY id",
            new { owner, nowUs });
        return rows.Where(r => !ownedNow.Contains(r.Id)).ToList();
    }

    /// <summary>The active run of a task, whichever replica owns it; null when none.</summary>
    public async Task<LeasedRunRow?> ActiveOfTaskAsync(string tenant, long taskId)
    {
        await using var c = await db.OpenAsync();
        return await c.QueryFirstOrDefaultAsync<LeasedRunRow>(
            $"SELECT id, tenant, task_id, owner, lease_until_us, stop_requested FROM task_runs WHERE tenant = @tenant AND task_id = @taskId AND {Active} ORDER BY id DESC",
            new { tenant, taskId });
    }

    /// <summary>The active runs of a project's tasks, whichever replica owns them.</summary>
    public async Task<IReadOnlyList<LeasedRunRow>> ActiveOfProjectAsync(string tenant, long projectId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<LeasedRunRow>(
            $"SELECT id, tenant, task_id, owner, lease_until_us, stop_requested FROM task_runs WHERE tenant = @tenant AND project_id = @projectId AND {Active} ORDER BY id",
            new { tenant, projectId })).ToList();
    }

    /// <summary>The active runs of a tenant (waiting, running or stopping), whichever replica owns them.</summary>
    public async Task<IReadOnlyList<TenantRunRow>> ActiveOfTenantAsync(string tenant)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<TenantRunRow>(
            $"SELECT id, task_id, doc FROM task_runs WHERE tenant = @tenant AND {Active} ORDER BY id", new { tenant })).ToList();
    }

    /// <summary>Asks the owner of a task run to stop it (it sees the flag when it renews its lease); the run is stopping (5) meanwhile.</summary>
    public async Task RequestStopAsync(long taskRunId, long taskId)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync($"UPDATE task_runs SET stop_requested = 1, run_status = 5 WHERE id = @taskRunId AND {Active}", new { taskRunId }, tx);
        await c.ExecuteAsync("UPDATE tasks SET run_status = 5 WHERE id = @taskId", new { taskId }, tx);
        await tx.CommitAsync();
    }
}
