using System.Runtime.CompilerServices;
using System.Diagnostics;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Metrics;
using PerfTest.Protocols;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// content_type 2 with protocol_type 1 (HTTP) or 2 (HTTPS): one request on the VU's keep-alive
/// connection to the card's origin. Its latency runs from the intended start when the load shape
/// gave one (TPS mode: no coordinated omission), else from the moment the request is sent.
/// A card without <c>${name}</c> references and without checkpoints or extractions sends its
/// precompiled request and captures nothing: that path allocates nothing.
/// </summary>
public sealed class HttpPacketCard(int key, string name, int connectionSlot, BuiltRequest request, HttpClientOptions options) : IAnsweredCard
{
    private readonly TemplatedRequest? _templated = request.Templated;

    public int Key { get; } = key;
    public string Name { get; } = name;

    /// <summary>The request sent; for a card with references, a preview with each one rendered as "0".</summary>
    public HttpRequestTemplate Request { get; } = request.Template;
    public BuiltRequest Built { get; } = request;
    public HttpClientOptions Options { get; } = options;

    /// <summary>The checkpoint and extraction cards folded into this one (empty unless the compiler added some).</summary>
    public ResponseRules Rules { get; } = new();

    public bool HasHttpHead => true;

    // Pooled: a VU runs this once per request; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        if (vu.Debug is not null)
        {
            await DebugAsync(vu, cancellationToken);
            return;
        }
        var connection = vu.Connections[connectionSlot] ??= new Http1Connection(Options);
        var start = vu.TakeStart();
        var request = _templated is null ? Request : Render(vu);
        if (request is null)
        {
            // The rendered text is no valid request (e.g. a variable with a line break in a header): nothing was sent.
            vu.RecordUnsendable(Key);
            return;
        }
        var capture = Rules.IsEmpty ? null : new HttpResponseCapture();
        // No token per request: a stop aborts the VU's connections instead (VirtualUser), so the hot
        // path registers on nothing.
        var result = await connection.SendAsync(request, capture, CancellationToken.None);
        if (cancellationToken.IsCancellationRequested)
        {
            return; // stopped mid-request: not an outcome of the target
        }
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (capture is not null)
        {
            result = Rules.Apply(result, capture, vu.Variables, vu.Debug);
        }
        vu.Record(Key, micros, result);
    }

    /// <summary>A debug run's send: the whole request and response are kept for the debug log.</summary>
    private async Task DebugAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        BuiltRequest built;
        try
        {
            built = _templated?.Render(vu.Variables) ?? Built;
        }
        catch (RequestRenderException e)
        {
            vu.Debug!.Unsendable($"the rendered {e.Field} is not valid: {e.Message}; nothing was sent");
            vu.RecordUnsendable(Key);
            return;
        }
        var connection = vu.Connections[connectionSlot] ??= new Http1Connection(Options);
        var capture = new HttpResponseCapture { MaxBodyBytes = vu.Debug!.MaxCaptureBytes };
        var start = vu.TakeStart();
        var result = await connection.SendAsync(built.Template, capture, cancellationToken);
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (!Rules.IsEmpty)
        {
            result = Rules.Apply(result, capture, vu.Variables, vu.Debug);
        }
        vu.Debug!.Http(built, capture);
        vu.Record(Key, micros, result);
    }

    private HttpRequestTemplate? Render(VirtualUser vu)
    {
        try
        {
            return _templated!.Render(vu.Variables).Template;
        }
        catch (RequestRenderException)
        {
            return null;
        }
    }
}
