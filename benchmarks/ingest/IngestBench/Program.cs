using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PerfTest.ControlPlane.Storage;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.IngestBench;

// Simulated executors for benchmarks/ingest/run.sh: EXECUTORS gRPC servers (one loopback port each, in this process)
// register with a real control plane as standalone executors of private group 1 do, heartbeat, and answer its Run
// calls with RATE seconds a second each (0: as fast as it takes them) of realistic 50-card snapshots. Meanwhile it
// samples, every 0.5 s, what was made, what was written to the streams, what the store holds and the control plane's
// RSS; at the end it checks that every second is stored exactly once and prints the figures.
//   PerfTest.IngestBench <grpc-url> <secret> <sqlite-path|postgres-connection-string> <control-plane-pid> <executors> <rate> <duration-s> <work-dir>
if (args.Length != 8)
{
    Console.Error.WriteLine("usage: PerfTest.IngestBench <grpc-url> <secret> <store> <control-plane-pid> <executors> <rate> <duration-s> <work-dir>");
    return 2;
}
var (grpcUrl, secret, store, cpPid) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
var executors = int.Parse(args[4], CultureInfo.InvariantCulture);
var rate = double.Parse(args[5], CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(args[6], CultureInfo.InvariantCulture));
var work = args[7];

var counters = new Counters();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k =>
{
    for (var i = 0; i < executors; i++)
    {
        k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
    }
});
builder.Services.AddGrpc(o => o.MaxSendMessageSize = null);
builder.Services.AddSingleton(new SimulatedExecutors(counters, rate, duration));
var app = builder.Build();
app.MapGrpcService<SimulatedExecutors>();
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();

using var channel = GrpcChannel.ForAddress(grpcUrl);
var client = new ControlPlaneService.ControlPlaneServiceClient(channel);
var auth = new Metadata { { "authorization", "Bearer " + secret } };
var ids = Enumerable.Range(0, executors).Select(i => $"sim-{i:D3}").ToList();
var heartbeat = TimeSpan.FromSeconds(2);
for (var i = 0; i < executors; i++)
{
    var reply = await client.RegisterAsync(new RegisterRequest
    {
        ExecutorId = ids[i], Address = addresses[i], ClusterId = 1, PlanVersion = PlanContract.Version,
    }, auth);
    heartbeat = TimeSpan.FromSeconds(Math.Max(1, reply.HeartbeatSeconds));
}
using var done = new CancellationTokenSource();
var heartbeats = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(heartbeat);
    while (await timer.WaitForNextTickAsync(done.Token).AsTask().ContinueWith(t => t is { IsCompletedSuccessfully: true, Result: true }))
    {
        // All at once, as 100 separate executors send theirs: one after the other they took longer than the
        // registry's dead-after time on a busy machine, and the control plane closed their channels.
        await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                await client.HeartbeatAsync(new HeartbeatRequest { ExecutorId = id }, auth);
            }
            catch (RpcException e)
            {
                Console.Error.WriteLine($"heartbeat of {id} failed: {e.Status.Detail}");
            }
        }));
    }
});
await File.WriteAllTextAsync(Path.Combine(work, "ready"), "");
Console.Error.WriteLine($"{executors} simulated executors registered; offered {(rate > 0 ? $"{rate:0.##} seconds/s each" : "as fast as taken")} for {duration.TotalSeconds:0} s");

using var db = new Database(store.Contains('=')
    ? new StorageOptions { Provider = StorageProvider.Postgres, PostgresConnectionString = store }
    : new StorageOptions { Provider = StorageProvider.Sqlite, SqlitePath = store });
async Task<long> StoredAsync(string sql = "SELECT COUNT(*) FROM run_seconds")
{
    await using var c = await db.OpenAsync();
    return await c.ExecuteScalarAsync<long>(sql);
}

// Samples until every executor sent its final and the store holds all that was written (bounded in time).
var samples = new List<Sample>();
var clock = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(60) + duration * 3 + TimeSpan.FromSeconds(600);
var finished = false;
while (clock.Elapsed < deadline)
{
    var stored = await StoredAsync();
    var over = Volatile.Read(ref counters.Runs) > 0 && Volatile.Read(ref counters.Active) == 0;
    samples.Add(new Sample(clock.Elapsed.TotalSeconds, Interlocked.Read(ref counters.Generated), Interlocked.Read(ref counters.Written),
        stored, Rss(cpPid), Volatile.Read(ref counters.Finals), over));
    // Over: every Run call ended (with its final, or cut by the control plane), and the store holds what was written or
    // has not grown for 5 s (a cut stream's last seconds may not have been stored).
    if (over && (stored >= samples[^1].Written || samples.Count > 10 && samples[^11].Stored == stored && samples[^11].Over))
    {
        finished = samples[^1].Finals == executors;
        break;
    }
    await Task.Delay(500);
}
await done.CancelAsync();
await heartbeats;

await File.WriteAllLinesAsync(Path.Combine(work, "timeline.tsv"),
    ["t_s\tgenerated\twritten\tstored\trss_kb\tfinals", .. samples.Select(s => $"{s.T:F1}\t{s.Generated}\t{s.Written}\t{s.Stored}\t{s.RssKb}\t{s.Finals}")]);
var distinct = await StoredAsync("SELECT COUNT(*) FROM (SELECT DISTINCT case_run_id, executor, sequence FROM run_seconds) d");
var bytes = await StoredAsync("SELECT COALESCE(SUM(LENGTH(snapshot)), 0) FROM run_seconds");
Console.WriteLine(Summary.Of(samples, executors, rate, distinct, bytes, Interlocked.Read(ref counters.CaseRequests), finished));
await app.StopAsync();
return finished && distinct == samples[^1].Written && samples[^1].Stored == distinct ? 0 : 1;

static long Rss(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
    catch (IOException)
    {
        return 0;
    }
}
