using System.Runtime.CompilerServices;
using System.Diagnostics;
using PerfTest.Metrics;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// content_type 2 with protocol_type 1 (HTTP) or 2 (HTTPS): one request on the VU's keep-alive
/// connection to the card's origin. Its latency runs from the intended start when the load shape
/// gave one (TPS mode: no coordinated omission), else from the moment the request is sent.
/// </summary>
public sealed class HttpPacketCard(int key, string name, int connectionSlot, BuiltRequest request, HttpClientOptions options) : ICard
{
    public int Key { get; } = key;
    public string Name { get; } = name;
    public HttpRequestTemplate Request { get; } = request.Template;
    public BuiltRequest Built { get; } = request;
    public HttpClientOptions Options { get; } = options;

    // Pooled: a VU runs this once per request; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var connection = vu.Connections[connectionSlot] ??= new Http1Connection(Options);
        var start = vu.IntendedStart != 0 ? vu.IntendedStart : Stopwatch.GetTimestamp();
        vu.IntendedStart = 0;
        // No token per request: a stop aborts the VU's connections instead (VirtualUser), so the hot
        // path registers on nothing.
        var result = await connection.SendAsync(Request, null, CancellationToken.None);
        if (cancellationToken.IsCancellationRequested)
        {
            return; // stopped mid-request: not an outcome of the target
        }
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        vu.Recorder.Record(Key, Math.Max(1, micros), result);
    }
}
