using Dapper;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Reports;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Storage;

/// <summary>
/// The seconds of many streams are committed together (RunSecondWriter): each caller's seconds are stored exactly once,
/// a caller is answered only once its rows are committed, and one bad row fails only its own caller.
/// </summary>
public sealed class RunSecondWriterTests
{
    private static RunSecondRow Row(string executor, long sequence) => new()
    {
        Executor = executor, UnixSecond = 1_700_000_000 + sequence, StageIndex = 0, Vusers = 1, Snapshot = [1, 2, 3], Sequence = sequence,
    };

    private static async Task<List<(string Executor, long Sequence)>> StoredAsync(StoredRuns stored, long caseRunId)
    {
        await using var c = await stored.Database.OpenAsync();
        return (await c.QueryAsync<(string, long)>(
            "SELECT executor, sequence FROM run_seconds WHERE case_run_id = @caseRunId ORDER BY id", new { caseRunId })).AsList();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Many_streams_adding_at_once_have_each_second_stored_once_when_their_call_completes(string provider)
    {
        var stored = await StoredRuns.CreateAsync(provider);
        // 100 streams of 30 seconds each, every stream awaiting its commit before its next second; each second of
        // stream 0 is also sent twice (a replay after a re-attach).
        var streams = Enumerable.Range(0, 100).Select(e => Task.Run(async () =>
        {
            for (var s = 1; s <= 30; s++)
            {
                await stored.Runs.AddSecondsAsync(1, e == 0 ? [Row("e0", s), Row("e0", s)] : [Row($"e{e}", s)]);
            }
        }));
        await Task.WhenAll(streams);

        var rows = await StoredAsync(stored, 1);
        Assert.Equal(3_000, rows.Count);
        Assert.Equal(3_000, rows.Distinct().Count());
        foreach (var stream in rows.GroupBy(r => r.Executor))
        {
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), stream.Select(r => r.Sequence));  // in the order sent
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task One_call_of_more_rows_than_a_statement_or_a_batch_holds_stores_them_all_in_order(string provider)
    {
        var stored = await StoredRuns.CreateAsync(provider);
        var count = RunSecondWriter.MaxBatch + RunSecondWriter.RowsPerStatement + 7;

        await stored.Runs.AddSecondsAsync(1, Enumerable.Range(1, count).Select(s => Row("e", s)).ToList());

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), (await StoredAsync(stored, 1)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_row_the_store_refuses_fails_its_own_caller_and_the_others_are_stored()
    {
        var stored = await StoredRuns.CreateAsync(caseRuns: 1);
        var good = Enumerable.Range(1, 50).Select(s => stored.Runs.AddSecondsAsync(1, [Row("e", s)])).ToList();
        var bad = stored.Runs.AddSecondsAsync(99, [Row("e", 1)]);  // no case run 99: the foreign key refuses it

        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Equal(50, (await StoredAsync(stored, 1)).Count);
        Assert.Empty(await StoredAsync(stored, 99));
    }
}
