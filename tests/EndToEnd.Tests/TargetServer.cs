using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// The system under test: a real Kestrel server on loopback that counts every request it
/// answers. /ok answers at once; /delay/{ms} after ms milliseconds; /stall holds every request
/// that arrives in the 6th second of each 10 s window until that second is over (a 1 s stall
/// once every 10 s); /status/{code} answers that status.
/// </summary>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _requests;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _awaitedCount = long.MaxValue;
    private long _lastSecond;
    private long _seconds;
    private long _awaitedSeconds = long.MaxValue;
    private TaskCompletionSource _secondsReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TargetServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Completes when the target has answered its first request.</summary>
    public Task FirstRequest => _firstRequest.Task;

    /// <summary>Completes once the target has answered <paramref name="count"/> requests (one waiter at a time).</summary>
    public Task WaitForRequestsAsync(long count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _awaitedCount, count);
        if (Requests >= count)
        {
            _reached.TrySetResult();
        }
        return _reached.Task;
    }

    /// <summary>Completes once requests have arrived in <paramref name="count"/> more distinct wall-clock seconds.</summary>
    public Task WaitForMoreSecondsAsync(long count)
    {
        _secondsReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _awaitedSeconds, Interlocked.Read(ref _seconds) + count);
        return _secondsReached.Task;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _perSecond = new();

    /// <summary>Requests answered in each wall-clock second (Unix seconds, UTC), in order of the second.</summary>
    public IReadOnlyList<(long Second, long Requests)> RequestsPerSecond() =>
        _perSecond.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key).ToList();

    /// <summary>Bodies and content types of the requests to /echo, in arrival order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string ContentType, string Body)> Echoed { get; } = new();

    /// <summary>Requests per path.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> PathCounts { get; } = new();

    private int _loadInFlight;
    private int _maxLoadInFlight;

    /// <summary>The most requests that were in flight at once on /load/{k}.</summary>
    public int MaxLoadInFlight => Volatile.Read(ref _maxLoadInFlight);

    private int _wsConnections;
    private int _wsMessages;

    /// <summary>WebSocket connections accepted on /ws, and the text messages received there.</summary>
    public int WebSocketConnections => Volatile.Read(ref _wsConnections);

    public int WebSocketMessages => Volatile.Read(ref _wsMessages);

    /// <summary>The text messages received on /ws, in arrival order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> WebSocketTexts { get; } = new();

    /// <summary>/ws: answers each text message "m" with "echo:m"; the n-th message with "fail:n" when m is "fail-3rd" and n is 3.</summary>
    private async Task EchoWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _wsConnections);
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            var n = Interlocked.Increment(ref _wsMessages);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count);
            WebSocketTexts.Enqueue(text);
            var answer = text == "fail-3rd" && n == 3 ? $"fail:{n}" : $"echo:{text}";
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(answer), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    /// <param name="certificate">HTTPS with this certificate, else plain HTTP.</param>
    /// <param name="listenOn">
    /// A listening socket's descriptor for Kestrel to take over (and close), with its address: a socket opened in another
    /// network namespace serves there. Without it, a free loopback port.
    /// </param>
    public static async Task<TargetServer> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null,
        (ulong Descriptor, System.Net.IPEndPoint Address)? listenOn = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = 20_000;
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            }
            if (listenOn is { } handle)
            {
                k.ListenHandle(handle.Descriptor, Configure);
            }
            else
            {
                k.Listen(System.Net.IPAddress.Loopback, 0, Configure);
            }
        });
        var app = builder.Build();
        var target = new TargetServer(app);
        app.Use(async (context, next) =>
        {
            await next(context);
            target.PathCounts.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            var n = Interlocked.Increment(ref target._requests);
            target._firstRequest.TrySetResult();
            if (n >= Interlocked.Read(ref target._awaitedCount))
            {
                target._reached.TrySetResult();
            }
            var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            target._perSecond.AddOrUpdate(second, 1, (_, count) => count + 1);
            if (Interlocked.Exchange(ref target._lastSecond, second) != second
                && Interlocked.Increment(ref target._seconds) >= Interlocked.Read(ref target._awaitedSeconds))
            {
                target._secondsReached.TrySetResult();
            }
        });
        app.MapGet("/ok", () => Results.Text("ok"));
        app.MapPost("/ok", () => Results.Text("ok"));
        app.MapGet("/delay/{ms:int}", async (int ms) =>
        {
            await Task.Delay(ms);
            return Results.Text("late");
        });
        app.MapGet("/stall", async () =>
        {
            var elapsed = Stopwatch.GetElapsedTime(target._started).TotalSeconds;
            var inWindow = elapsed % 10;
            if (inWindow is >= 5 and < 6)
            {
                await Task.Delay(TimeSpan.FromSeconds(6 - inWindow));
            }
            return Results.Text("ok");
        });
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        // A JSON answer to extract from, and any other path (counted per path by the middleware above).
        app.MapGet("/json/{value}", (string value) => Results.Json(new { token = value, n = 42 }));
        app.MapGet("/any/{**rest}", () => Results.Text("ok"));
        // A chunked body of that many MiB, written as it goes (never held whole here either).
        app.MapGet("/huge/{mib:int}", async (HttpContext context, int mib) =>
        {
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            for (var i = 0; i < mib * 16; i++)
            {
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
            }
        });
        // Latency that grows with concurrency: k ms for each request in flight here (this one included).
        app.MapGet("/load/{k:int}", async (int k) =>
        {
            var inFlight = Interlocked.Increment(ref target._loadInFlight);
            int max;
            while (inFlight > (max = Volatile.Read(ref target._maxLoadInFlight)) && Interlocked.CompareExchange(ref target._maxLoadInFlight, inFlight, max) != max)
            {
            }
            try
            {
                await Task.Delay(k * inFlight);
                return Results.Text("ok");
            }
            finally
            {
                Interlocked.Decrement(ref target._loadInFlight);
            }
        });
        app.UseWebSockets();
        app.Map("/ws", async (HttpContext context) => await target.EchoWebSocketAsync(context));
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            target.Echoed.Enqueue((request.ContentType ?? "", await reader.ReadToEndAsync()));
            return Results.Text("echoed");
        });
        await app.StartAsync();
        target.BaseAddress = listenOn is { } on
            ? new Uri($"{(certificate is null ? "http" : "https")}://{on.Address}/")
            : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
