using System.Data.Common;
using System.Text;
using System.Threading.Channels;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Stores the seconds executors send by group commit: every stream hands its second in and awaits its commit, while one
/// background loop takes whatever waits (up to <see cref="MaxBatch"/> rows) and stores it in one transaction, in
/// multi-row inserts of <see cref="RowsPerStatement"/> rows. A commit per second, as before, held about 2,000 seconds a
/// second on SQLite; a commit per batch takes the rows of all the streams that came during the previous one. Nothing
/// is acknowledged before it is committed: a caller whose row failed gets the failure, as with an insert of its own.
/// </summary>
public sealed class RunSecondWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The most rows one transaction stores.</summary>
    public const int MaxBatch = 2000;

    /// <summary>The rows of one INSERT: 7 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    public const int RowsPerStatement = 500;

    private const string Insert = "INSERT INTO run_seconds (case_run_id, executor, unix_second, stage_index, vusers, snapshot, sequence) VALUES ";
    private const string Conflict = " ON CONFLICT DO NOTHING";

    private readonly Database _db;
    private readonly Action<TimeSpan, int>? _committed;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="db">Where the seconds go.</param>
    /// <param name="committed">Told how long each successful commit took and how many rows it stored (/metrics).</param>
    public RunSecondWriter(Database db, Action<TimeSpan, int>? committed = null)
    {
        _db = db;
        _committed = committed;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Stores the rows (one already stored, same executor and sequence, is kept once); completes when they are committed.</summary>
    public Task AddAsync(long caseRunId, IReadOnlyList<RunSecondRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        var commits = new Task[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var pending = new Pending(caseRunId, rows[i]);
            if (!_queue.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(RunSecondWriter), "the control plane is shutting down: no more seconds are stored");
            }
            commits[i] = pending.Committed.Task;
        }
        return rows.Count == 1 ? commits[0] : Task.WhenAll(commits);
    }

    /// <summary>Stops taking rows; completes when those handed in before are committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously (the loop never needs this thread).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await WriteAsync(batch);
                batch.ForEach(p => p.Committed.TrySetResult());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await WriteOneByOneAsync(batch);
            }
            batch.Clear();
        }
    }

    /// <summary>A batch failed: each row again on its own, so that one bad row (its case run deleted) fails only its own caller.</summary>
    private async Task WriteOneByOneAsync(List<Pending> batch)
    {
        foreach (var pending in batch)
        {
            try
            {
                await WriteAsync([pending]);
                pending.Committed.TrySetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                pending.Committed.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(List<Pending> rows)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = await _db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            await using var command = Command(connection, rows, start, Math.Min(RowsPerStatement, rows.Count - start));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        _committed?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started), rows.Count);
    }

    private static DbCommand Command(DbConnection connection, List<Pending> rows, int start, int count)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder(Insert, Insert.Length + count * 40 + Conflict.Length);
        for (var i = 0; i < count; i++)
        {
            var (caseRunId, row) = (rows[start + i].CaseRunId, rows[start + i].Row);
            sql.Append(i == 0 ? "(" : ",(");
            Add(command, sql, $"c{i}", caseRunId, ",");
            Add(command, sql, $"e{i}", row.Executor, ",");
            Add(command, sql, $"u{i}", row.UnixSecond, ",");
            Add(command, sql, $"s{i}", row.StageIndex, ",");
            Add(command, sql, $"v{i}", row.Vusers, ",");
            Add(command, sql, $"b{i}", row.Snapshot, ",");
            Add(command, sql, $"q{i}", row.Sequence, ")");
        }
        command.CommandText = sql.Append(Conflict).ToString();
        return command;
    }

    private static void Add(DbCommand command, StringBuilder sql, string name, object value, string after)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        sql.Append('@').Append(name).Append(after);
    }

    private sealed record Pending(long CaseRunId, RunSecondRow Row)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
