using System.Text.Json.Nodes;
using Google.Protobuf;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Reports;
using PerfTest.ControlPlane.WebConsole;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// The percentiles of each point come from the histograms of every executor merged: two executors, one fast and one
/// slow, in the same seconds. Stored and rolled up as the executors' streams and the roller do.
/// </summary>
public sealed class PercentileCurveTests
{
    private const long Start = 1_700_000_003;

    /// <summary>A second of one executor: <paramref name="requests"/> requests of <paramref name="micros"/> each.</summary>
    private static RunSecondRow Second(string executor, long second, int requests, long micros)
    {
        var recorder = new RunRecorder(1);
        recorder.SetVirtualUsers(1);
        for (var i = 0; i < requests; i++)
        {
            recorder.Record(0, micros, new RequestResult(Outcome.Success, 200, 10, 100));
        }
        var snapshot = SnapshotMapper.ToProto(recorder.Rotate(second), stageIndex: 0);
        return new RunSecondRow { Executor = executor, UnixSecond = second, Vusers = 1, Snapshot = snapshot.ToByteArray() };
    }

    private static async Task<JsonObject> PointsAsync(StoredRuns stored, long? since = null)
    {
        var data = await RunData.ReadAsync(stored.Reader, 1, [KeySnapshot.CaseKey]);
        var histograms = await new PercentileCurve(stored.Runs, stored.Rollups).ReadAsync(1, data.Level, ConsolePoints.FirstWanted(data, since), data.LastSecond);
        return ConsolePoints.Build(data, histograms, since);
    }

    private static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_second_of_a_fast_and_a_slow_executor_has_the_percentiles_of_both_together(string provider)
    {
        var stored = await StoredRuns.CreateAsync(provider);
        // Second 0: a answers 80 requests in 10 ms, b 20 in 100 ms. Second 1: only a. Second 2: nobody.
        await stored.AddAsync(1, [Second("a", Start, 80, 10_000), Second("b", Start, 20, 100_000), Second("a", Start + 1, 10, 5_000),
            Second("a", Start + 3, 1, 1_000)]);

        var points = await PointsAsync(stored);

        Assert.Equal([Start, Start + 1, Start + 2, Start + 3], points["t"]!.AsArray().Select(t => t!.GetValue<long>()));
        Assert.Equal([100, 10, 0, 1], Numbers(points["tps"]));
        Assert.Equal([28, 5, 0, 1], Numbers(points["avg_ms"]));
        Assert.Equal([2, 1, 0, 1], Numbers(points["vusers"]));
        // Merged: tp50 and tp90 of the 100 requests are 10 ms and 100 ms; neither executor's own tp90 alone
        // (10 ms, 100 ms) averaged (55 ms) would give that. HdrHistogram answers within 0.1 %.
        Assert.InRange(Numbers(points["tp50"])[0], 10, 10.01);
        Assert.InRange(Numbers(points["tp90"])[0], 99.9, 100);
        Assert.InRange(Numbers(points["tp99"])[0], 99.9, 100);
        Assert.Equal(0, Numbers(points["tp99"])[2]);
        Assert.InRange(Numbers(points["tp99"])[1], 5, 5.01);
    }

    [Fact]
    public async Task Seconds_not_rolled_up_yet_are_left_for_the_next_read()
    {
        var stored = await StoredRuns.CreateAsync();
        await stored.AddAsync(1, [Second("a", Start, 10, 10_000)]);
        await stored.Roller.RollAsync(1);
        // Stored after the fold the report's read does below would make: the curve reads only rolled seconds.
        await stored.AddAsync(1, [Second("b", Start, 10, 100_000)]);

        var histograms = await new PercentileCurve(stored.Runs, stored.Rollups).ReadAsync(1, 1, Start, Start);

        Assert.Equal(10, histograms[Start].Requests);
        var points = await PointsAsync(stored);  // RunData's read rolls b's second in first
        Assert.Equal([20], Numbers(points["tps"]));
        Assert.InRange(Numbers(points["tp90"])[0], 99.9, 100);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_long_run_draws_points_of_ten_seconds_from_the_merged_histograms_of_their_buckets(string provider)
    {
        var stored = await StoredRuns.CreateAsync(provider);
        var rows = new List<RunSecondRow>();
        for (var s = 0; s < 2_000; s++)
        {
            rows.Add(Second("a", Start + s, 3, 1_000 + s * 10));
            rows.Add(Second("b", Start + s, 1, 500_000 - s * 100));
        }
        await stored.AddAsync(1, rows);

        var points = await PointsAsync(stored);
        var since = await PointsAsync(stored, since: Start + 1_000);

        var t = points["t"]!.AsArray().Select(v => v!.GetValue<long>()).ToList();
        Assert.Equal(201, t.Count);  // 10 s points from the one holding the first second; the first and last cut
        Assert.Equal(Start, t[0]);
        Assert.Equal(Start - 3 + 10, t[1]);
        for (var i = 0; i < t.Count; i++)
        {
            var bucket = i == 0 ? Start - 3 : t[i];
            var merged = new MetricAggregate();
            foreach (var row in rows.Where(r => r.UnixSecond >= bucket && r.UnixSecond < bucket + 10))
            {
                merged.Add(SnapshotMapper.FromProto(Executor.Grpc.SecondSnapshot.Parser.ParseFrom(row.Snapshot).Keys.First(k => k.Key == KeySnapshot.CaseKey)));
            }
            Assert.Equal(Math.Round(merged.Percentile(99), 3), Numbers(points["tp99"])[i]);
            Assert.Equal(Math.Round(merged.Percentile(50), 3), Numbers(points["tp50"])[i]);
        }
        // since: the points starting at or after it, the same values.
        var first = t.FindIndex(s => s >= Start + 1_000);
        Assert.Equal(t.Skip(first), since["t"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal(Numbers(points["tp90"]).Skip(first), Numbers(since["tp90"]));
        Assert.Equal(Numbers(points["tps"]).Skip(first), Numbers(since["tps"]));
    }
}
