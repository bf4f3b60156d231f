using Google.Protobuf;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Reports;

/// <summary>
/// Reports of long runs read rollups: these store the seconds of a run longer than one point per second allows, in
/// the order executors may send them (late ones included), roll them up in several folds, and check every figure a
/// report reads against the same figures computed straight from the stored seconds.
/// </summary>
public sealed class RollupTests
{
    // Not on a 10 s boundary: the first and last points are cut by the run.
    private const long Start = 1_700_000_003;
    private const int Keys = 3;

    private static RunSecondRow Second(string executor, long second, Random random)
    {
        var recorder = new RunRecorder(Keys);
        var vusers = random.Next(1, 50);
        recorder.SetVirtualUsers(vusers);
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            var outcome = random.Next(10) == 0 ? Outcome.Timeout : Outcome.Success;
            recorder.Record(random.Next(Keys), random.Next(50, 3_000_000), new RequestResult(outcome, 200, random.Next(1, 500), random.Next(1, 5_000)));
        }
        var snapshot = SnapshotMapper.ToProto(recorder.Rotate(second), stageIndex: second % 2 == 0 ? 0 : 1);
        return new RunSecondRow { Executor = executor, UnixSecond = second, StageIndex = snapshot.StageIndex, Vusers = vusers, Snapshot = snapshot.ToByteArray() };
    }

    /// <summary>4,000 s with gaps; executor "b" only in the middle; shuffled in blocks, some seconds arriving far too late.</summary>
    private static List<RunSecondRow> LongRun()
    {
        var random = new Random(42);
        var rows = new List<RunSecondRow>();
        for (var s = 0; s < 4_000; s++)
        {
            if (s % 97 == 13)
            {
                continue;  // a gap: a second nobody reported
            }
            rows.Add(Second("a", Start + s, random));
            if (s is > 1_000 and < 2_500)
            {
                rows.Add(Second("b", Start + s, random));
            }
        }
        // Late: every 50th row goes to the end, as seconds an executor buffered while the control plane was away.
        return rows.Where((_, i) => i % 50 != 7).Concat(rows.Where((_, i) => i % 50 == 7)).ToList();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_long_run_rolled_up_in_many_folds_reads_exactly_what_its_seconds_hold(string provider)
    {
        var rows = LongRun();
        var stored = await StoredRuns.CreateAsync(provider);
        for (var i = 0; i < rows.Count; i += 700)
        {
            await stored.AddAsync(1, rows.Skip(i).Take(700));
            await stored.Roller.RollAsync(1);
        }

        var data = await RunData.ReadAsync(stored.Reader, 1, StoredRuns.AllKeys);

        var expected = Expected.Of(rows);
        Assert.Equal(10, data.Level);
        Assert.Equal(Start, data.FirstSecond);
        Assert.Equal(Start + 3_999, data.LastSecond);
        Assert.Equal(expected.MaxUsers, data.MaxUsers);
        Assert.Equal(expected.VusersSum, data.VusersSum);
        Assert.Equal([0, 1], data.StageIndexes);
        foreach (var key in Enumerable.Range(-1, Keys + 1))
        {
            var want = expected.Totals[key];
            var got = data.Total(key);
            Assert.Equal(want.Requests, got.Requests);
            Assert.Equal(want.SumMicros, got.SumMicros);
            Assert.Equal(want.MinMicros, got.MinMicros);
            Assert.Equal(want.MaxMicros, got.MaxMicros);
            Assert.Equal(want.BytesSent, got.BytesSent);
            Assert.Equal(want.Outcomes, got.Outcomes);
            foreach (var p in new[] { 50, 90, 99, 99.9, 99.99 })
            {
                Assert.Equal(want.PercentileMicros(p), got.PercentileMicros(p));
            }
            var peaks = data.Peak(key);
            Assert.Equal(expected.Traffic[key].Max(), peaks.MaxTraffic);
            Assert.Equal(expected.Traffic[key].Min(), peaks.MinTraffic);
            Assert.Equal(expected.Requests[key].Max(), peaks.MaxRequests);
            // The points are per 10 s; drawn per second and multiplied back they add up to the total.
            Assert.Equal(want.Requests, data.Points.Values.Sum(p => p.Key(key).Requests));
        }
        // From the 10 s holding the first second to the one holding the last: 401 points, the first and last cut.
        Assert.Equal(401, data.Series(p => p.PerSecond(p.Case.Requests)).Count);
        Assert.Equal(expected.MaxUsers, data.Series(p => p.VirtualUsers).Max());
    }

    [Fact]
    public async Task Two_control_planes_rolling_the_same_run_on_postgres_count_each_second_once()
    {
        var rows = LongRun().Take(1_500).ToList();
        var stored = await StoredRuns.CreateAsync("Postgres");
        var other = new RunRoller(stored.Rollups);  // a second replica's roller on the same database
        await stored.AddAsync(1, rows);

        await Task.WhenAll(stored.Roller.RollAsync(1), other.RollAsync(1), stored.Roller.RollAsync(1), other.RollAsync(1));

        var data = await RunData.ReadAsync(stored.Reader, 1, StoredRuns.AllKeys);
        Assert.Equal(Expected.Of(rows).Totals[KeySnapshot.CaseKey].Requests, data.Total(KeySnapshot.CaseKey).Requests);
        Assert.Equal(Expected.Of(rows).VusersSum, data.VusersSum);
    }

    [Fact]
    public async Task A_run_of_a_day_draws_one_point_per_minute()
    {
        Assert.Equal(1, RollupLevels.ForSpan(1_800));
        Assert.Equal(10, RollupLevels.ForSpan(1_801));
        Assert.Equal(60, RollupLevels.ForSpan(86_400));
        Assert.Equal(3600, RollupLevels.ForSpan(30L * 86_400));
        Assert.Equal(1_700_000_000, RollupLevels.BucketOf(1_700_000_003, 10));
        Assert.Equal(1_699_999_200, RollupLevels.BucketOf(1_700_000_003, 3600));

        // Two seconds a day apart: the points between them are empty, the whole run is two seconds' worth.
        var random = new Random(1);
        var stored = await StoredRuns.CreateAsync();
        await stored.AddAsync(1, [Second("a", Start, random), Second("a", Start + 86_399, random)]);
        var data = await RunData.ReadAsync(stored.Reader, 1, StoredRuns.AllKeys);
        Assert.Equal(60, data.Level);
        Assert.Equal(86_400, data.Span);
        Assert.Equal(1441, data.Series(p => p.Case.Requests).Count);  // the first and last minutes are cut by the run
        Assert.Equal(2, data.Points.Count);
    }

    /// <summary>The report's figures computed straight from the stored seconds, as reports did before rollups.</summary>
    private sealed class Expected
    {
        public Dictionary<int, MetricAggregate> Totals { get; } = [];
        public Dictionary<int, List<long>> Traffic { get; } = [];
        public Dictionary<int, List<long>> Requests { get; } = [];
        public int MaxUsers { get; private set; }
        public long VusersSum { get; private set; }

        public static Expected Of(IEnumerable<RunSecondRow> rows)
        {
            var expected = new Expected();
            var seconds = rows.GroupBy(r => r.UnixSecond).ToList();
            foreach (var key in Enumerable.Range(-1, Keys + 1))
            {
                expected.Totals[key] = new MetricAggregate();
                expected.Traffic[key] = [];
                expected.Requests[key] = [];
            }
            foreach (var second in seconds)
            {
                var users = second.GroupBy(r => r.Executor).Sum(e => e.Max(r => r.Vusers));
                expected.MaxUsers = Math.Max(expected.MaxUsers, users);
                expected.VusersSum += users;
                var stats = second.SelectMany(r => SecondSnapshot.Parser.ParseFrom(r.Snapshot).Keys).ToList();
                foreach (var key in Enumerable.Range(-1, Keys + 1))
                {
                    var mine = stats.Where(k => k.Key == key).ToList();
                    foreach (var k in mine)
                    {
                        expected.Totals[key].Add(SnapshotMapper.FromProto(k));
                    }
                    expected.Traffic[key].Add(mine.Sum(k => k.BytesSent + k.BytesReceived));
                    expected.Requests[key].Add(mine.Sum(k => k.Requests));
                }
            }
            return expected;
        }
    }
}
