using System.Net.WebSockets;

// WebSocket echo peer for benchmarks/vus-10k.sh.
//
//   dotnet PerfTest.WsEcho.dll --urls http://127.0.0.1:PORT
//
// /ws echoes every data message back as it came (same type, same payload). GET /stats answers
// {"accepted":n,"open":n,"max_open":n,"messages":n,"closed":n,"errors":n}: WebSocket connections accepted so
// far, open now, the most open at once, data messages echoed, connections ended by a close handshake or by an
// error (reset, abort). Each connection owns one 4 KiB receive buffer, so 10,000 idle connections cost about
// 40 MB of buffers plus Kestrel state and the kernel's socket buffers.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxConcurrentConnections = null;
    k.Limits.MaxConcurrentUpgradedConnections = null;
    k.AddServerHeader = false;
});
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });

var stats = new Stats();
app.MapGet("/stats", () => Results.Text(stats.ToJson(), "application/json"));
app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    stats.Opened();
    var closedCleanly = false;
    try
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                closedCleanly = true;
                break;
            }
            // Echo what arrived, fragment by fragment; the message ends with the last fragment.
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            if (received.EndOfMessage)
            {
                stats.Message();
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
    {
    }
    finally
    {
        stats.Closed(closedCleanly);
    }
});
app.Run();

internal sealed class Stats
{
    private long _accepted, _open, _maxOpen, _messages, _closed, _errors;

    public void Opened()
    {
        Interlocked.Increment(ref _accepted);
        var open = Interlocked.Increment(ref _open);
        long max;
        while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
        {
        }
    }

    public void Message() => Interlocked.Increment(ref _messages);

    public void Closed(bool cleanly)
    {
        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref cleanly ? ref _closed : ref _errors);
    }

    public string ToJson() =>
        $"{{\"accepted\":{Volatile.Read(ref _accepted)},\"open\":{Volatile.Read(ref _open)},\"max_open\":{Volatile.Read(ref _maxOpen)}," +
        $"\"messages\":{Volatile.Read(ref _messages)},\"closed\":{Volatile.Read(ref _closed)},\"errors\":{Volatile.Read(ref _errors)}}}";
}
