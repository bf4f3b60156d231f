using System.Diagnostics;
using System.Runtime.CompilerServices;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Protocols;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// content_type 2 with protocol_type 3 (TCP) or 4 (UDP): one message on the VU's own connection (kept
/// across iterations), answered when the card's end rule holds (docs/protocols-tcp-udp.md). Timed like an
/// HTTP packet: from the intended start in TPS mode, else from the send. Checkpoints and extractions after it
/// read the answer's bytes as its body; only then is the answer captured (which allocates).
/// </summary>
public sealed class SocketPacketCard(int key, string name, int slot, TemplatedMessage<SocketExchange> message, bool udp, TargetPolicy targets)
    : IAnsweredCard
{
    public int Key { get; } = key;

    public string Name { get; } = name;

    /// <summary>The message sent; for a payload with references, a preview with each one rendered as "0".</summary>
    public SocketExchange Exchange => message.Preview;

    public ResponseRules Rules { get; } = new();

    public bool HasHttpHead => false;

    // Pooled: a VU runs this once per message; pooling keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var client = vu.Client<SocketClient>(slot) ?? vu.SetClient(slot, NewClient(udp));
        var start = vu.TakeStart();
        if (message.Render(vu.Variables) is not { } exchange)
        {
            vu.RecordUnsendable(Key);
            return;
        }
        // No token per message: a stop aborts the VU's sockets (VirtualUser), as for HTTP.
        var capture = Rules.IsEmpty ? null : new SocketCapture { MaxBytes = vu.Debug?.MaxCaptureBytes ?? int.MaxValue };
        var result = await client.SendAsync(exchange, capture, CancellationToken.None);
        if (cancellationToken.IsCancellationRequested)
        {
            return;  // stopped mid-message: not an outcome of the target
        }
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (capture is not null)
        {
            using var view = ResponseView.OfBody(capture.Response);
            result = Rules.Apply(result, view, vu.Variables, vu.Debug);
        }
        vu.Record(Key, micros, result);
    }

    private SocketClient NewClient(bool udp) => udp ? new UdpChannel(targets) : new TcpConnection(targets);
}
