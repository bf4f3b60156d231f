using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Storage;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;

// Writes the seconds of one finished case run of HOURS hours and CARDS request cards into the control plane's store,
// through RunStore.AddSecondsAsync: what the control plane does with the seconds executors stream (here up to
// RunSecondWriter.MaxBatch at a time, as many streams' seconds are committed together). The control
// plane's own rollup service folds them as they come; reports.sh then reads the report through the API.
//   PerfTest.ReportBench <sqlite-path | postgres-connection-string> <tenant> <project-id> <task-id> <hours> <cards> <executors>
// Prints "task_run_id case_run_id" on the last line.
//   PerfTest.ReportBench wait-rolled <store> <case-run-id>: waits until the control plane rolled every second up.
if (args is ["wait-rolled", var rolledStore, var rolledCaseRun])
{
    return await WaitRolledAsync(rolledStore, long.Parse(rolledCaseRun));
}
if (args.Length != 7)
{
    Console.Error.WriteLine("usage: PerfTest.ReportBench <sqlite-path|postgres-connection-string> <tenant> <project-id> <task-id> <hours> <cards> <executors>");
    return 2;
}
var store = args[0];
var tenant = args[1];
var projectId = long.Parse(args[2]);
var taskId = long.Parse(args[3]);
var seconds = (int)(double.Parse(args[4]) * 3600);
var cards = int.Parse(args[5]);
var executors = int.Parse(args[6]);

using var db = new Database(Options(store));
await using var runs = new RunStore(db);

var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds - 60;
var requests = JsonSerializer.Serialize(Enumerable.Range(0, cards).Select(i => $"card-{i}#GET#http://127.0.0.1/{i}"));
var (taskRunId, caseRunIds) = await runs.CreateAsync(tenant,
    new TaskRunRow
    {
        TaskId = taskId, ProjectId = projectId, RunStatus = RunStatus.Ended, ClusterType = "private-cluster", ClusterId = 1,
        StartedUs = start * 1_000_000, Doc = """{"name":"soak"}""",
    },
    [new CaseRunRow { CaseId = 1, CaseName = "soak", RunStatus = RunStatus.Ended, Plan = "{}", Requests = requests }]);
var caseRunId = caseRunIds[0];
await runs.SetCaseRunStatusAsync(caseRunId, RunStatus.Ended, start * 1_000_000, (start + seconds) * 1_000_000);
await runs.SetTaskRunStatusAsync(taskRunId, taskId, RunStatus.Ended, (start + seconds) * 1_000_000);

// A set of distinct seconds, reused with new timestamps: 20 requests per card per second, 1-400 ms, 1 % timeouts.
var random = new Random(7);
var samples = Enumerable.Range(0, 64).Select(_ =>
{
    var recorder = new RunRecorder(cards);
    recorder.SetVirtualUsers(100);
    for (var card = 0; card < cards; card++)
    {
        for (var i = 0; i < 20; i++)
        {
            var outcome = random.Next(100) == 0 ? Outcome.Timeout : Outcome.Success;
            recorder.Record(card, (long)(1_000 * Math.Exp(random.NextDouble() * Math.Log(400))), new RequestResult(outcome, 200, 120, 900));
        }
    }
    return SnapshotMapper.ToProto(recorder.Rotate(0), stageIndex: 0);
}).ToArray();

var watch = Stopwatch.StartNew();
var pending = new List<RunSecondRow>(RunSecondWriter.MaxBatch);
for (var s = 0; s < seconds; s++)
{
    for (var e = 0; e < executors; e++)
    {
        var second = samples[(s * executors + e) % samples.Length].Clone();
        second.UnixSecond = start + s;
        second.Sequence = s + 1;
        pending.Add(new RunSecondRow
        {
            Executor = $"executor-{e}", UnixSecond = second.UnixSecond, StageIndex = 0, Vusers = 100,
            Snapshot = second.ToByteArray(), Sequence = second.Sequence,
        });
    }
    if (pending.Count >= RunSecondWriter.MaxBatch - executors || s == seconds - 1)
    {
        await runs.AddSecondsAsync(caseRunId, pending);
        pending = new List<RunSecondRow>(RunSecondWriter.MaxBatch);
    }
    if ((s + 1) % 3600 == 0)
    {
        Console.Error.WriteLine($"{(s + 1) / 3600} h written ({watch.Elapsed.TotalSeconds:F0} s)");
    }
}
Console.Error.WriteLine($"{seconds} seconds x {executors} executors x {cards} cards written in {watch.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"{taskRunId} {caseRunId}");
return 0;

static StorageOptions Options(string store) => store.Contains('=')
    ? new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = store }
    : new StorageOptions { Provider = StorageProvider.Sqlite, SqlitePath = store };

static async Task<int> WaitRolledAsync(string store, long caseRunId)
{
    using var db = new Database(Options(store));
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromMinutes(60))
    {
        await using var c = await db.OpenAsync();
        var left = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM run_seconds WHERE case_run_id = @caseRunId AND rolled = 0", new { caseRunId });
        if (left == 0)
        {
            Console.Error.WriteLine($"every second rolled up ({watch.Elapsed.TotalSeconds:F0} s after the last was written)");
            return 0;
        }
        Console.Error.WriteLine($"{left} seconds not rolled up yet");
        await Task.Delay(5_000);
    }
    Console.Error.WriteLine("the seconds were not all rolled up within 60 minutes");
    return 1;
}
