using System.Globalization;
using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Executors;

/// <summary>A standalone executor as the database knows it: every control-plane replica sees the same groups.</summary>
public sealed class ExecutorRow
{
    public string Id { get; set; } = "";
    public string Address { get; set; } = "";
    public long ClusterId { get; set; }
    public long LastSeenUs { get; set; }
    /// <summary>The case runs it said run on it, comma-separated (<see cref="RunningCaseRuns"/>).</summary>
    public string Running { get; set; } = "";
    public long? LeftUs { get; set; }

    public IReadOnlyList<long> RunningCaseRuns => ExecutorStore.ParseRunning(Running);
}

/// <summary>The executors table: registrations, heartbeats and leaves of standalone executors.</summary>
public sealed class ExecutorStore(Database db)
{
    private const string Columns = "id, address, cluster_id, last_seen_us, running, left_us";

    /// <summary>Neither a heartbeat nor a leave since @seenBeforeUs.</summary>
    private const string GoneSince = "last_seen_us < @seenBeforeUs AND (left_us IS NULL OR left_us < @seenBeforeUs)";

    public async Task<ExecutorRow?> GetAsync(string id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<ExecutorRow>($"SELECT {Columns} FROM executors WHERE id = @id", new { id });
    }

    /// <summary>Stores a registration: a new executor, or the same id again (it joins anew: a leave is forgotten).</summary>
    public async Task UpsertAsync(string id, string address, long clusterId, long nowUs, IEnumerable<long> running)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO executors (id, address, cluster_id, last_seen_us, running, left_us) VALUES (@id, @address, @clusterId, @nowUs, @list, NULL) " +
            "ON CONFLICT (id) DO UPDATE SET address = @address, cluster_id = @clusterId, last_seen_us = @nowUs, running = @list, left_us = NULL",
            new { id, address, clusterId, nowUs, list = FormatRunning(running) });
    }

    /// <summary>Records a heartbeat of a live executor; false when the id is unknown, has left, or was seen last before <paramref name="aliveSinceUs"/>.</summary>
    public async Task<bool> HeartbeatAsync(string id, long nowUs, long aliveSinceUs, IEnumerable<long> running)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            "UPDATE executors SET last_seen_us = @nowUs, running = @list WHERE id = @id AND left_us IS NULL AND last_seen_us >= @aliveSinceUs",
            new { id, nowUs, aliveSinceUs, list = FormatRunning(running) }) == 1;
    }

    /// <summary>Records that the executor left its group (drained on shutdown).</summary>
    public async Task LeaveAsync(string id, long nowUs)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE executors SET left_us = @nowUs WHERE id = @id", new { id, nowUs });
    }

    /// <summary>The executors of the group seen at or after <paramref name="aliveSinceUs"/> and not left, by id.</summary>
    public async Task<IReadOnlyList<ExecutorRow>> LiveAsync(long clusterId, long aliveSinceUs)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ExecutorRow>(
            $"SELECT {Columns} FROM executors WHERE cluster_id = @clusterId AND left_us IS NULL AND last_seen_us >= @aliveSinceUs ORDER BY id",
            new { clusterId, aliveSinceUs })).AsList();
    }

    /// <summary>Per group, the registered executors not left: live (seen at or after <paramref name="aliveSinceUs"/>) and lost (not).</summary>
    public async Task<IReadOnlyList<GroupCount>> CountsAsync(long aliveSinceUs)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<GroupCount>(
            "SELECT cluster_id AS ClusterId, SUM(CASE WHEN last_seen_us >= @aliveSinceUs THEN 1 ELSE 0 END) AS Live, " +
            "SUM(CASE WHEN last_seen_us < @aliveSinceUs THEN 1 ELSE 0 END) AS Lost FROM executors WHERE left_us IS NULL GROUP BY cluster_id",
            new { aliveSinceUs })).AsList();
    }

    /// <summary>The ids of the executors not seen (nor left) since <paramref name="seenBeforeUs"/>.</summary>
    public async Task<IReadOnlyList<string>> GoneSinceAsync(long seenBeforeUs)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<string>(
            "SELECT id FROM executors WHERE " + GoneSince,
            new { seenBeforeUs })).AsList();
    }

    /// <summary>Forgets the executors not seen (nor left) since <paramref name="seenBeforeUs"/>: their ids are free again.</summary>
    public async Task<int> ForgetAsync(long seenBeforeUs)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            "DELETE FROM executors WHERE " + GoneSince,
            new { seenBeforeUs });
    }

    public static string FormatRunning(IEnumerable<long> caseRuns) =>
        string.Join(',', caseRuns.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    public static IReadOnlyList<long> ParseRunning(string running) =>
        running.Length == 0 ? [] : running.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
}

/// <summary>A private group's registered executors: heartbeating (live) or silent past the dead time (lost).</summary>
public sealed record GroupCount(long ClusterId, long Live, long Lost);
