using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs the real VU path (runners, cards, HTTP client, recorder) against a responder inside this
/// process before the first plan, so that a run's first seconds measure the target rather than
/// the JIT compiler still optimising the hot path. No packet leaves the process.
/// </summary>
public static class WarmUp
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    public static async Task RunAsync(TimeSpan budget, CancellationToken cancellationToken = default)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var responder = AcceptAsync(listener, stop.Token);
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/warm-up";
        var plan = new CasePlan
        {
            Steps = { new Step { Path = "contents[0].content[0]", Packet = new PacketCard { Http = new HttpPacket { Method = "GET", Url = url } } } },
            Targets = new TargetRules { AllowNetworks = { "127.0.0.1/32" } },  // its own responder, nothing else
        };
        var script = ScriptCompiler.Compile(plan, acceptAnyCertificate: false);
        var recorder = new RunRecorder(script.KeyCount, script.RequestCount);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(budget);
        var closed = new StageSpec { OperateMode = 1, Count = 30_000, IssueNum = 4 };
        await ClosedModelRunner.RunAsync(new StageContext(closed, script, recorder, TimeProvider.System, drain.Token, cancellationToken),
            new ConstantOrRampingUsers(closed));
        var open = new StageSpec { OperateMode = 1, Count = 2_000, IssueNum = 4, Tps = 20_000, PressureMode = 1 };
        await OpenModelRunner.RunAsync(new StageContext(open, script, recorder, TimeProvider.System, drain.Token, cancellationToken),
            new ConstantOrRampingArrivals(open));
        recorder.Rotate(0);
        await stop.CancelAsync();
        listener.Close();
        await responder;
    }

    private static async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptAsync(cancellationToken);
                connections.Add(RespondAsync(socket, cancellationToken));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(connections);
    }

    /// <summary>Answers each request head (ended by an empty line) with a fixed 200.</summary>
    private static async Task RespondAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            var buffer = new byte[4096];
            var matched = 0;
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
                {
                    for (var i = 0; i < read; i++)
                    {
                        matched = buffer[i] == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : buffer[i] == '\r' ? 1 : 0;
                        if (matched == 4)
                        {
                            matched = 0;
                            await socket.SendAsync(Response, SocketFlags.None, cancellationToken);
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}

/// <summary>Starts the warm-up when the host starts (embedded or standalone); plans wait for it.</summary>
public sealed class WarmUpService(ExecutorEngine engine) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Start with enough pool threads that work which blocks a thread for a while (the control plane's
        // SQLite writes, a slow DNS answer) cannot starve the pool: the open model's scheduler and the
        // per-second ticker run there, and the pool adds threads only every half second or so when starved
        // (seen as a TPS run's second at 176 followed by one at 824). Idle workers cost nothing: they do not
        // spin (UnfairSemaphoreSpinLimit=0 in the standalone executor).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), Math.Max(io, Environment.ProcessorCount * 8));
        engine.StartWarmUp(TimeSpan.FromSeconds(2));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
