using System.Data.Common;
using Dapper;
using Google.Protobuf;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Reports.Rollups;

/// <summary>The SQL of run_rollups and of the seconds not yet rolled up (run_seconds.rolled = 0).</summary>
public sealed class RollupStore(Database db)
{
    /// <summary>A second an executor sent, not yet in the rollups.</summary>
    public sealed class UnrolledSecond
    {
        public long Id { get; set; }
        public string Executor { get; set; } = "";
        public long UnixSecond { get; set; }
        public int StageIndex { get; set; }
        public int Vusers { get; set; }
        public byte[] Snapshot { get; set; } = [];
    }

    private sealed class Row
    {
        public int Level { get; set; }
        public long Bucket { get; set; }
        public byte[] Stats { get; set; } = [];
        public byte[]? Histograms { get; set; }
    }

    public Database Database => db;

    /// <summary>The case runs with seconds not yet rolled up.</summary>
    public async Task<IReadOnlyList<long>> CaseRunsToRollAsync(CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT case_run_id FROM run_seconds WHERE rolled = 0", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The oldest seconds of the case run not yet rolled up, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<UnrolledSecond>> UnrolledAsync(DbConnection c, DbTransaction? tx, long caseRunId, int limit) =>
        (await c.QueryAsync<UnrolledSecond>(
            "SELECT id, executor, unix_second, stage_index, vusers, snapshot FROM run_seconds " +
            "WHERE case_run_id = @caseRunId AND rolled = 0 ORDER BY id LIMIT @limit",
            new { caseRunId, limit }, tx)).AsList();

    /// <summary>The level's rows with buckets in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<IReadOnlyList<RollupRow>> RowsAsync(
        DbConnection c, DbTransaction? tx, long caseRunId, int level, long from, long to, bool withHistograms)
    {
        var histograms = withHistograms ? "histograms" : "NULL AS histograms";
        var rows = await c.QueryAsync<Row>(
            $"SELECT level, bucket, stats, {histograms} FROM run_rollups " +
            "WHERE case_run_id = @caseRunId AND level = @level AND bucket >= @from AND bucket < @to ORDER BY bucket",
            new { caseRunId, level, from, to }, tx);
        return rows.Select(r => new RollupRow(r.Level, r.Bucket, RollupStats.Parser.ParseFrom(r.Stats),
            r.Histograms is null ? null : RollupHistograms.Parser.ParseFrom(r.Histograms))).ToList();
    }

    /// <summary>Writes the rows back and marks the seconds they hold as rolled up, in <paramref name="tx"/>.</summary>
    public static async Task SaveAsync(DbConnection c, DbTransaction tx, long caseRunId, IEnumerable<RollupRow> rows, IReadOnlyList<long> rolledIds)
    {
        foreach (var row in rows)
        {
            await c.ExecuteAsync(
                "INSERT INTO run_rollups (case_run_id, level, bucket, stats, histograms) VALUES (@caseRunId, @Level, @Bucket, @stats, @histograms) " +
                "ON CONFLICT (case_run_id, level, bucket) DO UPDATE SET stats = excluded.stats, histograms = excluded.histograms",
                new { caseRunId, row.Level, row.Bucket, stats = row.Stats.ToByteArray(), histograms = row.Histograms!.ToByteArray() }, tx);
        }
        for (var i = 0; i < rolledIds.Count; i += SqlIdList.MaxIds)
        {
            var parameters = new DynamicParameters();
            var list = SqlIdList.Add(parameters, rolledIds.Skip(i).Take(SqlIdList.MaxIds).ToList());
            await c.ExecuteAsync($"UPDATE run_seconds SET rolled = 1 WHERE id IN {list}", parameters, tx);
        }
    }
}
