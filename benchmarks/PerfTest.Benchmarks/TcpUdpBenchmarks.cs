using BenchmarkDotNet.Attributes;
using PerfTest.Protocols;
using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;

namespace PerfTest.Benchmarks;

/// <summary>
/// Raw TCP and UDP round trips against in-process loopback echo peers: a 64-byte message whose answer ends
/// with "\n" (end-string rule). The X1000 variants must show 0 B allocated per message.
/// dotnet run -c Release --project benchmarks/PerfTest.Benchmarks -- --filter '*TcpUdp*' --job short
/// </summary>
[MemoryDiagnoser]
public class TcpUdpBenchmarks
{
    private const string Message = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n";

    private EchoLoopbackServers _servers = null!;
    private TcpConnection _tcp = null!;
    private UdpChannel _udp = null!;
    private SocketExchange _tcpExchange = null!;
    private SocketExchange _udpExchange = null!;

    [GlobalSetup]
    public void Setup()
    {
        _servers = new EchoLoopbackServers();
        _tcp = new TcpConnection();
        _udp = new UdpChannel();
        _tcpExchange = SocketExchange.FromCard($"tcp://127.0.0.1:{_servers.TcpPort}", Message, "text", 2, 0, "\n", 0, 0);
        _udpExchange = SocketExchange.FromCard($"udp://127.0.0.1:{_servers.UdpPort}", Message, "text", 2, 0, "\n", 0, 0);
        for (int i = 0; i < 1000; i++)
        {
            // Connect and warm the pools outside the measurement.
            Check(_tcp.SendAsync(_tcpExchange).AsTask().GetAwaiter().GetResult());
            Check(_udp.SendAsync(_udpExchange).AsTask().GetAwaiter().GetResult());
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tcp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _servers.Dispose();
    }

    /// <summary>Returns the client's ValueTask as is (see HttpBenchmarks.RoundTripLoopback).</summary>
    [Benchmark]
    public ValueTask<RequestResult> TcpRoundTrip() => _tcp.SendAsync(_tcpExchange);

    [Benchmark]
    public ValueTask<RequestResult> UdpRoundTrip() => _udp.SendAsync(_udpExchange);

    /// <summary>1,000 sequential messages per invocation, as a virtual user sends them: BenchmarkDotNet's own per-invocation bytes spread out.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<long> TcpRoundTripX1000()
    {
        long received = 0;
        for (int i = 0; i < 1000; i++)
        {
            received += (await _tcp.SendAsync(_tcpExchange).ConfigureAwait(false)).BytesReceived;
        }

        return received;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<long> UdpRoundTripX1000()
    {
        long received = 0;
        for (int i = 0; i < 1000; i++)
        {
            received += (await _udp.SendAsync(_udpExchange).ConfigureAwait(false)).BytesReceived;
        }

        return received;
    }

    private static void Check(RequestResult result)
    {
        if (result.Outcome != Outcome.Success)
        {
            throw new InvalidOperationException($"warm-up message failed: {result.Outcome}");
        }
    }
}
