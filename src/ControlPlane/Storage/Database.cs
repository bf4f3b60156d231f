using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PerfTest.ControlPlane.Storage;

/// <summary>
/// Opens connections to the configured store. Both providers take the same SQL: tables use
/// plain integer and text columns, ids come back through <c>RETURNING id</c>, and JSON
/// documents are kept as text so they come back byte for byte as stored.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    static Database()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(StorageOptions options)
    {
        Provider = options.Provider;
        if (Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
            {
                throw new InvalidOperationException(
                    "Storage:Provider is Postgres but ConnectionStrings:Postgres is not set");
            }
            _connectionString = options.PostgresConnectionString;
            _postgres = NpgsqlDataSource.Create(_connectionString);
        }
        else
        {
            var path = Path.GetFullPath(options.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
    }

    public StorageProvider Provider { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // With WAL, NORMAL syncs at checkpoints instead of every commit: a crash of the process
        // loses nothing, a power cut at most the last commits, and writers do not stall the pool.
        await connection.ExecuteAsync("PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it is stored, or none.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Closes the idle pooled PostgreSQL connections, and those in use as they come back: after the server went
    /// away they are dead, and fresh ones are opened on demand once it is back. SQLite has nothing to forget.
    /// </summary>
    public void ForgetPooledConnections() => _postgres?.Clear();

    /// <summary>
    /// Whether the store answers a trivial query within <paramref name="timeout"/>: null when it does, else what
    /// is wrong, without connection string, password or host name.
    /// </summary>
    public async Task<string?> ProbeAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await using var connection = await OpenAsync(linked.Token);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1",
                commandTimeout: Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)), cancellationToken: linked.Token));
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && StoreFailure.Describe(e) is { } reason)
        {
            ForgetPooledConnections();
            return reason;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            ForgetPooledConnections();
            return $"the database is unreachable: it did not answer within {timeout.TotalSeconds:0.#} s";
        }
    }

    public void Dispose() => _postgres?.Dispose();
}
