using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using PerfTest.Protocols;
using PerfTest.Protocols.Http;

namespace PerfTest.Benchmarks;

/// <summary>
/// The HTTP/1.1 client's hot path: writing a request (template into a pipe), parsing a canned response,
/// and a full round trip over loopback. Writing and parsing must show 0 B allocated per operation.
/// dotnet run -c Release --project benchmarks/PerfTest.Benchmarks -- --filter '*Http*' --job short
/// </summary>
[MemoryDiagnoser]
public class HttpBenchmarks
{
    private const string ContentLengthResponse =
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Type: application/json\r\n" +
        "Content-Length: 27\r\nConnection: keep-alive\r\nCache-Control: no-cache\r\n\r\n{\"id\":42,\"name\":\"perftest\"}";

    private const string ChunkedResponse =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "10;ext=1\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\nX-Checksum: 1\r\n\r\n";

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly ResponseParser _parser = new();
    private HttpRequestTemplate _get = null!;
    private HttpRequestTemplate _post = null!;
    private ReadOnlySequence<byte> _contentLength;
    private ReadOnlySequence<byte> _chunked;
    private HttpLoopbackServer _server = null!;
    private Http1Connection _connection = null!;
    private HttpRequestTemplate _roundTrip = null!;

    [GlobalSetup]
    public void Setup()
    {
        KeyValuePair<string, string>[] headers = [new("Accept", "application/json"), new("User-Agent", "perftest"), new("X-Trace", "0af7651916cd43dd")];
        _get = HttpRequestTemplate.Create("GET", new Uri("http://api.example.test/v1/items?page=2"), headers, default);
        _post = HttpRequestTemplate.Create("POST", new Uri("http://api.example.test/v1/items"), headers, new byte[1024]);
        _contentLength = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(ContentLengthResponse));
        _chunked = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(ChunkedResponse));

        _server = new HttpLoopbackServer(Encoding.ASCII.GetBytes(ContentLengthResponse));
        _connection = new Http1Connection(new HttpClientOptions());
        _roundTrip = HttpRequestTemplate.Create("GET", new Uri($"http://127.0.0.1:{_server.Port}/v1/items"), headers, default);
        for (int i = 0; i < 1000; i++)
        {
            // Connect and warm the pools outside the measurement.
            _connection.SendAsync(_roundTrip).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    [Benchmark]
    public long WriteGet() => WriteAndDrain(_get);

    [Benchmark]
    public long WritePost1K() => WriteAndDrain(_post);

    [Benchmark]
    public long ParseContentLength() => Parse(_contentLength);

    [Benchmark]
    public long ParseChunked() => Parse(_chunked);

    /// <summary>
    /// Returns the client's ValueTask as is: wrapping it in an async method would box that method's own
    /// state machine on every suspension and charge it to the client.
    /// </summary>
    [Benchmark]
    public ValueTask<RequestResult> RoundTripLoopback() => _connection.SendAsync(_roundTrip);

    /// <summary>
    /// 1,000 sequential requests per invocation, as a virtual user sends them. BenchmarkDotNet's handling
    /// of an async benchmark costs some bytes per invocation (the single round trip above shows them);
    /// spread over 1,000 requests this shows what the client itself allocates per request.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<long> RoundTripLoopbackX1000()
    {
        long received = 0;
        for (int i = 0; i < 1000; i++)
        {
            received += (await _connection.SendAsync(_roundTrip).ConfigureAwait(false)).BytesReceived;
        }

        return received;
    }

    private long WriteAndDrain(HttpRequestTemplate request)
    {
        int written = RequestWriter.Write(_pipe.Writer, request);
        ValueTask<FlushResult> flush = _pipe.Writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            throw new InvalidOperationException("an unbounded pipe flushes synchronously");
        }

        flush.GetAwaiter().GetResult();
        _pipe.Reader.TryRead(out ReadResult read);
        long length = read.Buffer.Length;
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        return written + length;
    }

    private long Parse(in ReadOnlySequence<byte> response)
    {
        _parser.Reset(isHeadRequest: false, capture: null);
        if (_parser.Parse(response, out _) != ParseStatus.Done)
        {
            throw new InvalidOperationException("benchmark response did not parse");
        }

        return _parser.BytesConsumed;
    }
}
