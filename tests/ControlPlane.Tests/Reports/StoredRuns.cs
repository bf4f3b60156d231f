using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Storage;
using PerfTest.ControlPlane.Tests.Infrastructure;

namespace PerfTest.ControlPlane.Tests.Reports;

/// <summary>
/// Reports read what was stored: these tests store synthetic seconds in a fresh database (SQLite, or the PostgreSQL
/// of ./test.sh) as the executors' streams do (RunStore.AddSecondsAsync), roll them up and read them as a report does.
/// </summary>
internal sealed class StoredRuns
{
    private long _sequence;

    private StoredRuns(Database db)
    {
        Database = db;
        Runs = new RunStore(db);
        Rollups = new RollupStore(db);
        Roller = new RunRoller(Rollups);
        Reader = new RollupReader(Rollups, Roller);
    }

    public Database Database { get; }
    public RunStore Runs { get; }
    public RollupStore Rollups { get; }
    public RunRoller Roller { get; }
    public RollupReader Reader { get; }

    /// <summary>Every key a test may use, for the points to hold them all.</summary>
    public static IReadOnlyCollection<int> AllKeys { get; } = Enumerable.Range(-1, 64).ToList();

    /// <summary>A fresh database with case runs 1..<paramref name="caseRuns"/> (and nothing they would belong to).</summary>
    public static async Task<StoredRuns> CreateAsync(string provider = "Sqlite", int caseRuns = 1)
    {
        var backend = await Backend.NewAsync(provider);
        var db = new Database(provider == "Postgres"
            ? new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = backend.Location }
            : new StorageOptions { Provider = StorageProvider.Sqlite, SqlitePath = backend.Location });
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await using var c = await db.OpenAsync();
        // The case runs alone: no project, task or task run is needed to store and read their seconds.
        await c.ExecuteAsync(provider == "Postgres" ? "SET session_replication_role = replica" : "PRAGMA foreign_keys = OFF");
        for (var i = 1; i <= caseRuns; i++)
        {
            await c.ExecuteAsync(
                "INSERT INTO case_runs (id, tenant, task_run_id, case_id, case_name, run_status, plan, requests) " +
                "VALUES (@i, 't', 1, @i, 'case', 2, '', '[]')", new { i = (long)i });
        }
        return new StoredRuns(db);
    }

    /// <summary>Stores the rows as the executors' streams do (committed together), each with the next sequence number.</summary>
    public async Task AddAsync(long caseRunId, IEnumerable<RunSecondRow> rows)
    {
        var list = rows.ToList();
        list.ForEach(row => row.Sequence = ++_sequence);
        await Runs.AddSecondsAsync(caseRunId, list);
    }

    /// <summary>The run data of one case run made of <paramref name="rows"/>, every key's points read.</summary>
    public static async Task<RunData> ReadAsync(IEnumerable<RunSecondRow> rows) => (await ReadManyAsync(rows.ToList()))[0];

    /// <summary>The run data of several case runs of one task run, read together as the log outline reads them.</summary>
    public static async Task<List<RunData>> ReadManyAsync(params IReadOnlyList<RunSecondRow>[] caseRuns)
    {
        var stored = await CreateAsync(caseRuns: caseRuns.Length);
        for (var i = 0; i < caseRuns.Length; i++)
        {
            await stored.AddAsync(i + 1, caseRuns[i]);
        }
        return await RunData.ReadManyAsync(stored.Reader, Enumerable.Range(1, caseRuns.Length).Select(i => (long)i).ToList(), AllKeys);
    }
}
