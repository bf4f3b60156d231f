using Dapper;
using PerfTest.ControlPlane.Storage;
using PerfTest.Executor.Grpc;

namespace PerfTest.ControlPlane.Runs;

public sealed class TaskRunRow
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public long ProjectId { get; set; }
    public int RunStatus { get; set; }
    public string ClusterType { get; set; } = "";
    public long ClusterId { get; set; }
    public long StartedUs { get; set; }
    public long? EndedUs { get; set; }
    public string Doc { get; set; } = "{}";
    /// <summary>The control plane that runs it (Runs:InstanceId), and until when its lease holds.</summary>
    public string? Owner { get; set; }
    public long? LeaseUntilUs { get; set; }
}

public sealed class CaseRunRow
{
    public long Id { get; set; }
    public long TaskRunId { get; set; }
    public long CaseId { get; set; }
    public string CaseName { get; set; } = "";
    public int RunStatus { get; set; }
    public long? StartedUs { get; set; }
    public long? EndedUs { get; set; }
    public string Plan { get; set; } = "{}";
    /// <summary>The metric keys its executors declared, as ReportKeys stores them.</summary>
    public string Requests { get; set; } = "[]";
    public string? Error { get; set; }
}

public sealed class BatchRow
{
    public string Id { get; set; } = "";
    public long ProjectId { get; set; }
    public string Doc { get; set; } = "{}";
}

public sealed class RunSecondRow
{
    public string Executor { get; set; } = "";
    public long UnixSecond { get; set; }
    public int StageIndex { get; set; }
    public int Vusers { get; set; }
    public byte[] Snapshot { get; set; } = [];
    /// <summary>The executor's sequence number of the second (SecondSnapshot.sequence); 0 when it sent none.</summary>
    public long Sequence { get; set; }
}

/// <summary>Task runs, their case runs and the seconds executors reported, persisted as they arrive.</summary>
/// <param name="db">The database.</param>
/// <param name="metrics">/metrics, told how long the commits of seconds take; none outside a host (tests, benchmarks).</param>
public sealed class RunStore(Database db, Observability.ControlPlaneMetrics? metrics = null) : IAsyncDisposable, IDisposable
{
    private readonly RunSecondWriter _seconds = new(db, metrics is null ? null : metrics.StoreCommitted);

    private const string TaskRunColumns = "id, task_id, project_id, run_status, cluster_type, cluster_id, started_us, ended_us, doc";
    private const string CaseRunColumns = "id, task_run_id, case_id, case_name, run_status, started_us, ended_us, plan, requests, error";

    public Task<(long TaskRunId, List<long> CaseRunIds)> CreateAsync(string tenant, TaskRunRow run, IReadOnlyList<CaseRunRow> cases) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO task_runs (tenant, task_id, project_id, run_status, cluster_type, cluster_id, started_us, doc, owner, lease_until_us) " +
                "VALUES (@tenant, @TaskId, @ProjectId, @RunStatus, @ClusterType, @ClusterId, @StartedUs, @Doc, @Owner, @LeaseUntilUs) RETURNING id",
                new { tenant, run.TaskId, run.ProjectId, run.RunStatus, run.ClusterType, run.ClusterId, run.StartedUs, run.Doc, run.Owner, run.LeaseUntilUs }, tx);
            var caseRunIds = new List<long>();
            foreach (var cr in cases)
            {
                caseRunIds.Add(await c.ExecuteScalarAsync<long>(
                    "INSERT INTO case_runs (tenant, task_run_id, case_id, case_name, run_status, plan, requests) " +
                    "VALUES (@tenant, @id, @CaseId, @CaseName, @RunStatus, @Plan, @Requests) RETURNING id",
                    new { tenant, id, cr.CaseId, cr.CaseName, cr.RunStatus, cr.Plan, cr.Requests }, tx));
            }
            await c.ExecuteAsync("UPDATE tasks SET run_status = @RunStatus WHERE id = @TaskId", new { run.RunStatus, run.TaskId }, tx);
            return (id, caseRunIds);
        });

    public async Task SetTaskRunStatusAsync(long taskRunId, long taskId, int status, long? endedUs)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync("UPDATE task_runs SET run_status = @status, ended_us = COALESCE(@endedUs, ended_us) WHERE id = @taskRunId",
            new { status, endedUs, taskRunId }, tx);
        await c.ExecuteAsync("UPDATE tasks SET run_status = @status WHERE id = @taskId", new { status, taskId }, tx);
        await tx.CommitAsync();
    }

    public async Task SetCaseRunStatusAsync(long caseRunId, int status, long? startedUs = null, long? endedUs = null, string? error = null)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "UPDATE case_runs SET run_status = @status, started_us = COALESCE(started_us, @startedUs), " +
            "ended_us = COALESCE(@endedUs, ended_us), error = COALESCE(@error, error) WHERE id = @caseRunId",
            new { status, startedUs, endedUs, error, caseRunId });
    }

    /// <summary>Stores the metric keys the case run's executors declared (ReportKeys), once, when the first declares them.</summary>
    public async Task SetCaseRunKeysAsync(long caseRunId, string keys)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE case_runs SET requests = @keys WHERE id = @caseRunId", new { keys, caseRunId });
    }

    /// <summary>
    /// Stores seconds executors sent; one sent before (same executor and sequence, replayed after a re-attach) is kept
    /// once. Completes when they are committed, with the rows of the other streams (<see cref="RunSecondWriter"/>).
    /// </summary>
    public Task AddSecondsAsync(long caseRunId, IReadOnlyList<RunSecondRow> rows) => _seconds.AddAsync(caseRunId, rows);

    /// <summary>
    /// The last second stored from the executor for the case run (null: none): a re-attach replays what follows its
    /// sequence, and its stage's iterations count when the group is split again.
    /// </summary>
    public async Task<SecondSnapshot?> LastSecondAsync(long caseRunId, string executor)
    {
        await using var c = await db.OpenAsync();
        var snapshot = await c.ExecuteScalarAsync<byte[]?>(
            "SELECT snapshot FROM run_seconds WHERE case_run_id = @caseRunId AND executor = @executor ORDER BY sequence DESC LIMIT 1",
            new { caseRunId, executor });
        return snapshot is null ? null : SecondSnapshot.Parser.ParseFrom(snapshot);
    }

    public async Task<TaskRunRow?> GetTaskRunAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<TaskRunRow>(
            $"SELECT {TaskRunColumns} FROM task_runs WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }

    public async Task<IReadOnlyList<TaskRunRow>> ListTaskRunsAsync(string tenant, long taskId, Api.Page page)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<TaskRunRow>(
            $"SELECT {TaskRunColumns} FROM task_runs WHERE tenant = @tenant AND task_id = @taskId ORDER BY id DESC LIMIT @Limit OFFSET @Offset",
            new { tenant, taskId, page.Limit, page.Offset })).AsList();
    }

    public async Task<TaskRunRow?> LatestTaskRunAsync(string tenant, long taskId)
    {
        await using var c = await db.OpenAsync();
        return await c.QueryFirstOrDefaultAsync<TaskRunRow>(
            $"SELECT {TaskRunColumns} FROM task_runs WHERE tenant = @tenant AND task_id = @taskId ORDER BY id DESC LIMIT 1",
            new { tenant, taskId });
    }

    public async Task<IReadOnlyList<CaseRunRow>> ListCaseRunsAsync(string tenant, long taskRunId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<CaseRunRow>(
            $"SELECT {CaseRunColumns} FROM case_runs WHERE tenant = @tenant AND task_run_id = @taskRunId ORDER BY id",
            new { tenant, taskRunId })).AsList();
    }

    public async Task<IReadOnlyList<RunSecondRow>> ListSecondsAsync(long caseRunId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<RunSecondRow>(
            "SELECT executor, unix_second, stage_index, vusers, snapshot FROM run_seconds WHERE case_run_id = @caseRunId ORDER BY unix_second, id",
            new { caseRunId })).AsList();
    }

    /// <summary>
    /// The seconds of [<paramref name="fromSecond"/>, <paramref name="toSecond"/>] already in the rollups (rolled = 1):
    /// read beside the rollups, they hold exactly the requests the rollups count, even while executors add more.
    /// </summary>
    public async Task<IReadOnlyList<RunSecondRow>> ListRolledSecondsAsync(long caseRunId, long fromSecond, long toSecond)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<RunSecondRow>(
            "SELECT executor, unix_second, stage_index, vusers, snapshot FROM run_seconds " +
            "WHERE case_run_id = @caseRunId AND unix_second >= @fromSecond AND unix_second <= @toSecond AND rolled = 1 ORDER BY unix_second, id",
            new { caseRunId, fromSecond, toSecond })).AsList();
    }

    public async Task CreateBatchAsync(string tenant, string id, long projectId, string doc, long createdUs)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("INSERT INTO batches (id, tenant, project_id, doc, created_us) VALUES (@id, @tenant, @projectId, @doc, @createdUs)",
            new { id, tenant, projectId, doc, createdUs });
    }

    /// <summary>Lets the seconds handed in be committed, then stops taking more.</summary>
    public ValueTask DisposeAsync() => _seconds.DisposeAsync();

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => _seconds.Dispose();

    public async Task<BatchRow?> GetBatchAsync(string tenant, string id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<BatchRow>(
            "SELECT id, project_id, doc FROM batches WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }
}
