using System.Diagnostics;
using System.Runtime.CompilerServices;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.WebSocket;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// content_type 2 with protocol_type 9: one message on the VU's own WebSocket connection (opened with the card's
/// headers on first use, kept across iterations), answered when the card's end rule holds
/// (docs/protocols-websocket.md). Timed like an HTTP packet. Checkpoints and extractions after it read the
/// received messages' payloads, joined, as the body.
/// </summary>
public sealed class WebSocketPacketCard(int key, string name, int slot, Uri url,
    IReadOnlyList<KeyValuePair<string, string>> headers, HttpClientOptions options, TemplatedMessage<WebSocketExchange> message) : IAnsweredCard
{
    public int Key { get; } = key;

    public string Name { get; } = name;

    /// <summary>The message sent; for a payload with references, a preview with each one rendered as "0".</summary>
    public WebSocketExchange Exchange => message.Preview;

    public ResponseRules Rules { get; } = new();

    public bool HasHttpHead => false;

    // Pooled: a VU runs this once per message; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var connection = vu.Client<WebSocketConnection>(slot) ?? vu.SetClient(slot, new WebSocketConnection(url, headers, options));
        var start = vu.TakeStart();
        if (message.Render(vu.Variables) is not { } exchange)
        {
            vu.RecordUnsendable(Key);
            return;
        }
        var capture = Rules.IsEmpty ? null : new WebSocketCapture { MaxBytes = vu.Debug?.MaxCaptureBytes ?? int.MaxValue };
        // No token per message: a stop aborts the VU's connections (VirtualUser), as for HTTP.
        var result = await connection.SendAsync(exchange, capture, CancellationToken.None);
        if (cancellationToken.IsCancellationRequested)
        {
            return;  // stopped mid-message: not an outcome of the target
        }
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (capture is not null)
        {
            using var view = ResponseView.OfBody(Joined(capture));
            result = Rules.Apply(result, view, vu.Variables, vu.Debug);
        }
        vu.Record(Key, micros, result);
    }

    private static byte[] Joined(WebSocketCapture capture) =>
        capture.Messages.Count == 1 ? capture.Messages[0].Payload : capture.Messages.SelectMany(m => m.Payload).ToArray();
}
