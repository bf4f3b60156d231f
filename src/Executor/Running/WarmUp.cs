using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Running;

/// <summary>
/// Runs the request and recording path a few hundred times against a responder inside this
/// process, before any plan arrives: the first second of a real run then measures the target,
/// not the JIT compiler. No packet leaves the process.
/// </summary>
public static class WarmUp
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    public static async Task RunAsync(int requests = 500, CancellationToken cancellationToken = default)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var responder = RespondAsync(listener, cancellationToken);
        var request = HttpRequestTemplate.Create("GET", new Uri($"http://127.0.0.1:{port}/warm-up"), [], ReadOnlyMemory<byte>.Empty);
        var recorder = new RunRecorder(1);
        await using (var connection = new Http1Connection(new HttpClientOptions()))
        {
            for (var i = 0; i < requests; i++)
            {
                recorder.Record(0, 100 + i, await connection.SendAsync(request, null, cancellationToken));
            }
        }
        recorder.Rotate(0);
        listener.Close();
        await responder;
    }

    /// <summary>Answers each request head (ended by an empty line) on the one connection the warm-up opens.</summary>
    private static async Task RespondAsync(Socket listener, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await listener.AcceptAsync(cancellationToken);
            var buffer = new byte[4096];
            var matched = 0;
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
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

/// <summary>Warms the engine when the host starts (embedded in the control plane or standalone).</summary>
public sealed class WarmUpService : Microsoft.Extensions.Hosting.IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Load generation is async I/O on the thread pool: start with enough threads that a burst
        // of VUs does not wait for the pool's slow growth.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), Math.Max(io, Environment.ProcessorCount * 8));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await WarmUp.RunAsync(cancellationToken: timeout.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
