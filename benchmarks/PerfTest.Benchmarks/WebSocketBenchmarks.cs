using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using PerfTest.Protocols;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Tests.WebSocket;
using PerfTest.Protocols.WebSocket;

namespace PerfTest.Benchmarks;

/// <summary>
/// The WebSocket client's hot path: encoding a masked client frame, decoding a server frame, and a full
/// round trip over loopback against <see cref="RawWebSocketServer"/> (which allocates nothing itself).
/// dotnet run -c Release --project benchmarks/PerfTest.Benchmarks -- --filter '*WebSocket*' --job short
/// </summary>
[MemoryDiagnoser]
public class WebSocketBenchmarks
{
    private const string Message = "{\"op\":\"subscribe\",\"channel\":\"ticker\",\"symbols\":[\"BTC-USD\",\"ETH-USD\"],\"seq\":42}";

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly FrameDecoder _decoder = new();
    private WebSocketExchange _exchange = null!;
    private byte[] _payload1K = null!;
    private ReadOnlySequence<byte> _serverFrame;
    private RawWebSocketServer _server = null!;
    private WebSocketConnection _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _exchange = WebSocketExchange.FromCard("text", Message, 0, 0, null);
        _payload1K = new byte[1024];
        byte[] frame = new byte[4 + 1024];
        frame[0] = 0x82;
        frame[1] = 126;
        frame[2] = 1024 >> 8;
        _serverFrame = new ReadOnlySequence<byte>(frame);

        _server = new RawWebSocketServer();
        _connection = new WebSocketConnection(_server.Url, [], new HttpClientOptions());
        for (int i = 0; i < 1000; i++)
        {
            // Connect and warm the pools outside the measurement.
            _connection.SendAsync(_exchange).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    [Benchmark]
    public long EncodeText() => EncodeAndDrain(_exchange.Payload.Span);

    [Benchmark]
    public long Encode1K() => EncodeAndDrain(_payload1K);

    [Benchmark]
    public long Decode1K()
    {
        _decoder.Reset(_exchange, null);
        if (_decoder.Decode(_serverFrame, out _) != DecodeStatus.Done)
        {
            throw new InvalidOperationException("benchmark frame did not decode");
        }

        return _decoder.PayloadReceived;
    }

    /// <summary>Returns the client's ValueTask as is (see HttpBenchmarks.RoundTripLoopback).</summary>
    [Benchmark]
    public ValueTask<RequestResult> RoundTripLoopback() => _connection.SendAsync(_exchange);

    /// <summary>1,000 sequential messages per invocation, as a virtual user sends them.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<long> RoundTripLoopbackX1000()
    {
        long received = 0;
        for (int i = 0; i < 1000; i++)
        {
            received += (await _connection.SendAsync(_exchange).ConfigureAwait(false)).BytesReceived;
        }

        return received;
    }

    private long EncodeAndDrain(ReadOnlySpan<byte> payload)
    {
        long written = FrameWriter.Write(_pipe.Writer, Opcode.Text, payload, 0x12345678);
        ValueTask<FlushResult> flush = _pipe.Writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            throw new InvalidOperationException("an unbounded pipe flushes synchronously");
        }

        flush.GetAwaiter().GetResult();
        _pipe.Reader.TryRead(out ReadResult read);
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        return written;
    }
}
