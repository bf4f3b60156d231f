using System.Text.Json.Nodes;
using Google.Protobuf;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Reports;

/// <summary>
/// The report fields computed from a run's data (log outline protocols, stage, trans_tps, max_users; the case
/// outline's stage) and the ones not computed, absent. No database: RunData is built from synthetic seconds.
/// </summary>
public sealed class ReportFieldsTests
{
    private const long Start = 1_700_000_000;

    private static readonly TaskRunRow TaskRun = new() { Id = 7, TaskId = 3, ProjectId = 2, RunStatus = RunStatus.Ended, StartedUs = Start * 1_000_000, EndedUs = (Start + 10) * 1_000_000 };

    private static CaseRunRow Case(long id, string requests) => new()
    {
        Id = id, TaskRunId = 7, CaseId = id, CaseName = $"case-{id}", RunStatus = RunStatus.Ended,
        StartedUs = Start * 1_000_000, EndedUs = (Start + 10) * 1_000_000, Requests = requests,
    };

    private static readonly CaseRunRow HttpCase = Case(11, """["get#GET#http://target/ok"]""");

    /// <summary>One executor's second: <paramref name="vusers"/> live, <paramref name="requests"/> successes on key 0, in stage <paramref name="stage"/>.</summary>
    private static RunSecondRow Second(long second, int vusers, int stage = 0, int requests = 1, string executor = "a", int keys = 1,
        Action<RunRecorder>? record = null)
    {
        var recorder = new RunRecorder(keys, 1);
        recorder.SetVirtualUsers(vusers);
        for (var i = 0; i < requests; i++)
        {
            recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 10, 100));
        }
        record?.Invoke(recorder);
        var proto = SnapshotMapper.ToProto(recorder.Rotate(second), stage);
        return new RunSecondRow { Executor = executor, UnixSecond = second, StageIndex = stage, Vusers = vusers, Snapshot = proto.ToByteArray() };
    }

    /// <summary>A case run holding <paramref name="vusers"/> VUs over seconds <paramref name="from"/>..<paramref name="to"/> of the run.</summary>
    private static Task<RunData> Level(int vusers, int from, int to) =>
        StoredRuns.ReadAsync(Enumerable.Range(from, to - from + 1).Select(s => Second(Start + s, vusers)));

    private static JsonNode Core(JsonObject outline) => outline["core_index"]!;

    [Fact]
    public async Task Cases_run_one_after_another_peak_at_the_larger_case_not_the_sum()
    {
        var outline = LogOutlineBuilder.Build(TaskRun, [HttpCase, Case(12, HttpCase.Requests)], [await Level(10, 0, 4), await Level(20, 5, 9)]);

        Assert.Equal(20, Core(outline)["max_users"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cases_run_in_parallel_peak_at_the_sum_of_the_seconds_they_overlap()
    {
        var outline = LogOutlineBuilder.Build(TaskRun, [HttpCase, Case(12, HttpCase.Requests)], [await Level(10, 0, 4), await Level(20, 3, 9)]);

        Assert.Equal(30, Core(outline)["max_users"]!.GetValue<int>());
    }

    [Fact]
    public async Task Duration_and_peak_rates_are_the_task_runs_not_one_cases()
    {
        // One request a second each: one after another 10 s at 1/s; side by side, seconds 3 and 4 have 2.
        var sequential = LogOutlineBuilder.Build(TaskRun, [HttpCase, Case(12, HttpCase.Requests)], [await Level(10, 0, 4), await Level(20, 5, 9)]);
        var overlapping = LogOutlineBuilder.Build(TaskRun, [HttpCase, Case(12, HttpCase.Requests)], [await Level(10, 0, 4), await Level(20, 3, 9)]);

        Assert.Equal(10, sequential["task_basic_execution_data"]!["duration"]!.GetValue<int>());
        Assert.Equal(1.0, Core(sequential)["rps"]!.GetValue<double>());
        Assert.Equal(1, Core(sequential)["max_rps"]!.GetValue<long>());
        Assert.Equal(10, overlapping["task_basic_execution_data"]!["duration"]!.GetValue<int>());
        Assert.Equal(1.2, Core(overlapping)["rps"]!.GetValue<double>());
        Assert.Equal(2, Core(overlapping)["max_rps"]!.GetValue<long>());
        Assert.Equal(2 * 110, overlapping["network_traffic"]!["max_network_traffic"]!.GetValue<long>());
    }

    [Fact]
    public async Task Max_users_adds_the_executors_of_a_case_and_is_0_without_data()
    {
        var twoExecutors = await StoredRuns.ReadAsync([Second(Start, 4, executor: "a"), Second(Start, 6, executor: "b"), Second(Start + 1, 3, executor: "a")]);

        Assert.Equal(10, LogOutlineBuilder.PeakUsers([twoExecutors]));
        Assert.Equal(0, Core(LogOutlineBuilder.Build(TaskRun, [HttpCase], [await StoredRuns.ReadAsync([])]))["max_users"]!.GetValue<int>());
    }

    [Fact]
    public async Task Trans_tps_counts_transactions_per_second_not_requests()
    {
        // Key 0 the request card, key 1 the transaction: 4 requests and 2 transactions a second for 4 seconds.
        var caseRun = Case(11, """["get#GET#http://target/ok","login#TRANSACTION#77"]""");
        var data = await StoredRuns.ReadAsync(Enumerable.Range(0, 4).Select(s => Second(Start + s, 1, requests: 4, keys: 2, record: r =>
        {
            r.Record(1, 2_000, new RequestResult(Outcome.Success, 0, 0, 0));
            r.Record(1, 2_000, new RequestResult(Outcome.CheckpointFailed, 0, 0, 0));
        })));

        var core = Core(LogOutlineBuilder.Build(TaskRun, [caseRun], [data]));

        Assert.Equal(4.0, core["rps"]!.GetValue<double>());
        Assert.Equal(2.0, core["trans_tps"]!.GetValue<double>());  // failed transactions count, as in tranTPS
    }

    [Fact]
    public async Task Trans_tps_is_0_when_the_run_has_no_transaction()
    {
        var core = Core(LogOutlineBuilder.Build(TaskRun, [HttpCase], [await Level(5, 0, 3)]));

        Assert.Equal(1.0, core["rps"]!.GetValue<double>());
        Assert.Equal(0.0, core["trans_tps"]!.GetValue<double>());
    }

    [Fact]
    public async Task Stage_counts_the_distinct_stages_that_ran()
    {
        // Stages 0 and 2 (two executors) and 1; stage 3 never ran. A stage -1 second (stopped before any stage) is none.
        var data = await StoredRuns.ReadAsync(
        [
            Second(Start, 2, stage: 0), Second(Start, 2, stage: 0, executor: "b"), Second(Start + 1, 4, stage: 1),
            Second(Start + 2, 6, stage: 2), Second(Start + 2, 6, stage: 2, executor: "b"), Second(Start + 3, 0, stage: -1, requests: 0),
        ]);
        var single = await Level(3, 0, 5);

        Assert.Equal(3, ReportBuilder.Outline(TaskRun, HttpCase, data, data.Total(KeySnapshot.CaseKey))["stage"]!.GetValue<int>());
        Assert.Equal(1, ReportBuilder.Outline(TaskRun, HttpCase, single, single.Total(KeySnapshot.CaseKey))["stage"]!.GetValue<int>());
        var empty = await StoredRuns.ReadAsync([]);
        Assert.Equal(0, ReportBuilder.Outline(TaskRun, HttpCase, empty, empty.Total(KeySnapshot.CaseKey))["stage"]!.GetValue<int>());

        var outline = LogOutlineBuilder.Build(TaskRun, [HttpCase, Case(12, HttpCase.Requests)], [data, single]);
        Assert.Equal(4, outline["task_basic_attribute"]!["stage"]!.GetValue<int>());  // 3 stages of one case, 1 of the other
    }

    [Fact]
    public async Task Protocols_are_the_runs_distinct_card_protocols_in_the_documented_order()
    {
        var mixed = Case(11, """
            ["q#MQTT#mqtt://broker:1883","s#GET#https://target/a","t#TCP#tcp://peer:9","h#POST#http://target/b",
             "x#GET#https://target/c","login#TRANSACTION#77"]
            """);
        var streams = Case(12, """["f#HTTP-FLV#http://origin/a.flv","r#RTMP#rtmp://origin/live/a","l#HLS#https://origin/a.m3u8","w#WebSocket#ws://t/ws","u#UDP#udp://peer:9"]""");

        JsonArray Protocols(params CaseRunRow[] cases) =>
            (JsonArray)LogOutlineBuilder.Build(TaskRun, cases, cases.Select(_ => new RunData()).ToList())["task_basic_attribute"]!["protocols"]!;

        Assert.Equal(["HTTP", "HTTPS", "TCP", "MQTT"], Protocols(mixed).Select(p => p!.GetValue<string>()));
        Assert.Equal(["HTTP", "HTTPS", "TCP", "UDP", "WebSocket", "MQTT", "HLS", "RTMP", "HTTP-FLV"],
            Protocols(mixed, streams).Select(p => p!.GetValue<string>()));
        Assert.Equal(["HTTP"], Protocols(Case(13, """["v#GET#${base}/x","w#GET#HTTP://target/y"]""")).Select(p => p!.GetValue<string>()));
        Assert.Empty(Protocols(Case(14, "[]")));
    }

    [Fact]
    public async Task Report_keys_give_each_key_its_kind_and_protocol()
    {
        var keys = ReportKeys.Of(Case(11, """["s#GET#https://target/a#frag","login#TRANSACTION#77"]"""));

        Assert.Equal(new ReportKey(0, false, "", "s", "GET", "https://target/a#frag", "HTTPS", 0), keys[0]);
        Assert.Equal(new ReportKey(1, true, "", "login", "", "", "", 77), keys[1]);
        Assert.Equal([(0, "s")], ReportBuilder.Requests(Case(11, """["s#GET#https://target/a","login#TRANSACTION#77"]""")));
        Assert.Equal([(1, "login")], ReportBuilder.Transactions(Case(11, """["s#GET#https://target/a","login#TRANSACTION#77"]""")));
    }

    [Fact]
    public async Task Fields_not_computed_are_absent_from_the_case_report()
    {
        var data = await Level(2, 0, 2);
        var report = ReportBuilder.Build(TaskRun, HttpCase, data, 10);
        var details = report["details"]!["data"]![0]!;

        Assert.False(details["performance"]!.AsObject().ContainsKey("errorEventsCount"));
        Assert.False(details["detailDatas"]![0]!.AsObject().ContainsKey("errorEventsCount"));
        var outline = report["outline"]!.AsObject();
        foreach (var absent in new[] { "kpiCaseCount", "kpiCaseExecuteCount", "kpiCasePassCount" })
        {
            Assert.False(outline.ContainsKey(absent), absent);
        }
        Assert.DoesNotContain("errorEventsCount", report.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kpiCase", report.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
