using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Groups;

/// <summary>One change of a case run's group: an executor started with it, joined, was lost, drained or finished.</summary>
public sealed class GroupChangeRow
{
    public long CaseRunId { get; set; }
    public long UnixMs { get; set; }
    public string Executor { get; set; } = "";
    public string Change { get; set; } = "";
    public string Detail { get; set; } = "";
}

/// <summary>The names of <see cref="GroupChangeRow.Change"/>.</summary>
public static class GroupChange
{
    public const string Started = "started";
    public const string Joined = "joined";
    public const string Lost = "lost";
    public const string Drained = "drained";
    public const string Finished = "finished";
}

/// <summary>The group_changes table: who ran each case run, and when the group changed.</summary>
public sealed class GroupChangeStore(Database db)
{
    public async Task AddAsync(long caseRunId, long unixMs, string executor, string change, string detail = "")
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO group_changes (case_run_id, unix_ms, executor, change, detail) VALUES (@caseRunId, @unixMs, @executor, @change, @detail)",
            new { caseRunId, unixMs, executor, change, detail });
    }

    public async Task<IReadOnlyList<GroupChangeRow>> ListAsync(long caseRunId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<GroupChangeRow>(
            "SELECT case_run_id, unix_ms, executor, change, detail FROM group_changes WHERE case_run_id = @caseRunId ORDER BY id",
            new { caseRunId })).AsList();
    }

    /// <summary>
    /// Of the case runs an executor says run on it, those it must stop: over (no longer running, waiting or stopping),
    /// or whose group counts it lost (its share went to the others).
    /// </summary>
    public async Task<IReadOnlyList<long>> OverForAsync(string executor, IReadOnlyCollection<long> caseRunIds)
    {
        if (caseRunIds.Count == 0)
        {
            return [];
        }
        await using var c = await db.OpenAsync();
        var ids = caseRunIds.Distinct().ToArray();
        var active = new HashSet<long>();
        var lost = new HashSet<long>();
        foreach (var chunk in ids.Chunk(SqlIdList.MaxIds))
        {
            var parameters = new DynamicParameters(new { executor, lost = GroupChange.Lost });
            var list = SqlIdList.Add(parameters, chunk);
            active.UnionWith(await c.QueryAsync<long>($"SELECT id FROM case_runs WHERE id IN {list} AND run_status IN (0, 5, 9)", parameters));
            lost.UnionWith(await c.QueryAsync<long>(
                $"SELECT g.case_run_id FROM group_changes g WHERE g.executor = @executor AND g.case_run_id IN {list} AND g.id = " +
                "(SELECT MAX(h.id) FROM group_changes h WHERE h.case_run_id = g.case_run_id AND h.executor = g.executor) AND g.change = @lost",
                parameters));
        }
        return ids.Where(id => !active.Contains(id) || lost.Contains(id)).ToList();
    }

    /// <summary>The executors whose last change in the case run made them a member (started or joined).</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(long caseRunId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<string>(
            "SELECT g.executor FROM group_changes g WHERE g.case_run_id = @caseRunId AND g.id = " +
            "(SELECT MAX(h.id) FROM group_changes h WHERE h.case_run_id = g.case_run_id AND h.executor = g.executor) " +
            "AND g.change IN (@started, @joined)",
            new { caseRunId, started = GroupChange.Started, joined = GroupChange.Joined })).AsList();
    }
}
