using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Runs;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// An executor that has the shared secret but lies: it answers a plan with a second dated a day ahead (or years back).
/// The control plane refuses the second, stores nothing of it, stops the executor's plan and ends the case run 3 with
/// the reason, instead of stretching the report over a day. The liar is a gRPC service of this test on loopback, not an
/// executor process: no real executor sends such a second.
/// </summary>
public sealed class RogueExecutorTests : IAsyncLifetime
{
    private const string Secret = "e2e-rogue-secret";
    private const long Group = 11;
    private readonly string _grpcUrl = $"http://127.0.0.1:{ExecutorProcess.FreePort()}";
    private ControlPlaneServer _server = null!;
    private WebApplication _rogue = null!;
    private string _rogueUrl = "";
    private RunHarness _run = null!;

    public async Task InitializeAsync()
    {
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Executors:SharedSecret"] = Secret,
            ["Executors:GrpcUrl"] = _grpcUrl,
            ["Executors:HeartbeatSeconds"] = "10",  // the liar does not heartbeat: it stays alive for the test
        }));
        _run = new RunHarness(_server);
        var port = ExecutorProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<LyingExecutor.Seen>();
        _rogue = builder.Build();
        _rogue.MapGrpcService<LyingExecutor>();
        await _rogue.StartAsync();
        _rogueUrl = $"http://localhost:{port}";
    }

    public async Task DisposeAsync()
    {
        await _rogue.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(86_400, "ahead of the control plane's clock")]
    [InlineData(-3 * 365 * 86_400, "behind the control plane's clock")]
    public async Task A_second_far_from_now_is_refused_the_case_run_ends_3_with_the_reason_and_its_plan_is_stopped(long offset, string reason)
    {
        var seen = _rogue.Services.GetRequiredService<LyingExecutor.Seen>();
        seen.Offset = offset;
        var c = await _run.CreateAsync("http://127.0.0.1:9/never", """[ { "name": "s", "operate_mode": 0, "time": 30, "pressure_mode": 1, "tps_value": 10, "issue_num": 1 } ]""");
        using (var channel = GrpcChannel.ForAddress(_grpcUrl))
        {
            await new ControlPlaneService.ControlPlaneServiceClient(channel).RegisterAsync(
                new RegisterRequest { ExecutorId = "liar", Address = _rogueUrl, ClusterId = Group, PlanVersion = PlanContract.Version },
                new Metadata { { "authorization", "Bearer " + Secret } });
        }
        var taskRun = await _run.StartAsync(c, "private-cluster", Group);
        await _run.WaitAsync(c);

        Assert.Equal(3, (await _run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());
        var caseInfo = (await _run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/task-run-infos/{taskRun}/cases")).Object["result"]!["case_aw_info_list"]![0]!;
        var error = caseInfo["error"]!.GetValue<string>();
        Assert.Contains($"executor liar: it sent a second at unix_second {seen.SentSecond}", error);
        Assert.Contains(reason, error);
        Assert.Equal(1, seen.Stops);  // its plan was stopped
        var stored = await _server.App.Services.GetRequiredService<RunStore>().ListSecondsAsync(await _run.CaseRunIdAsync(c));
        Assert.Empty(stored);  // nothing of it stored
    }

    /// <summary>Answers every plan with one second <see cref="Seen.Offset"/> seconds from now, then waits to be stopped.</summary>
    private sealed class LyingExecutor(LyingExecutor.Seen seen) : ExecutorService.ExecutorServiceBase
    {
        public sealed class Seen
        {
            public long Offset { get; set; }
            public long SentSecond { get; set; }
            public int Stops;
        }

        public override async Task Run(RunPlan request, IServerStreamWriter<SecondSnapshot> responseStream, ServerCallContext context)
        {
            seen.SentSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seen.Offset;
            await responseStream.WriteAsync(new SecondSnapshot { UnixSecond = seen.SentSecond, Sequence = 1, VirtualUsers = 1 });
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public override Task<StopReply> Stop(StopRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref seen.Stops);
            return Task.FromResult(new StopReply());
        }
    }
}
