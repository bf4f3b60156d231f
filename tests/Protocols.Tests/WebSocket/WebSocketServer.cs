using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PerfTest.Protocols.Tests.Http;

namespace PerfTest.Protocols.Tests.WebSocket;

/// <summary>
/// A Kestrel server with WebSocket endpoints: /echo through ASP.NET Core's own WebSockets (interop), the
/// others through a raw upgrade so the test decides every frame byte (pings, fragments, malformed frames).
/// </summary>
internal static class WebSocketServer
{
    public static Task<KestrelHost> StartAsync(X509Certificate2? certificate = null) =>
        KestrelHost.StartAsync(HandleAsync, certificate, webSockets: true);

    public static Uri WsUrl(this KestrelHost host, string path) => new($"{(host.Https ? "wss" : "ws")}://127.0.0.1:{host.Port}{path}");

    private static async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/echo":
                await EchoAsync(context);
                break;
            case "/plain":
                await context.Response.WriteAsync("no upgrade here");
                break;
            case "/wrong-accept":
                await RawUpgradeAsync(context, "d3JvbmcgYWNjZXB0IHZhbHVlIQ==");
                break;
            default:
                await RawAsync(context);
                break;
        }
    }

    private static async Task EchoAsync(HttpContext context)
    {
        using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        byte[] buffer = new byte[256 * 1024];  // larger than any test message
        while (true)
        {
            int filled = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                filled += received.Count;
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, filled), received.MessageType, true, CancellationToken.None);
        }
    }

    /// <summary>Reads one client message and answers it with frames chosen by the path.</summary>
    private static async Task RawAsync(HttpContext context)
    {
        Stream stream = await RawUpgradeAsync(context, null);
        (byte opcode, byte[] message) = await ReadClientFrameAsync(stream);
        string path = context.Request.Path.Value!;
        byte[] answer = path switch
        {
            "/ping" => [.. Frame(0x89, "hb"u8), .. Frame(0x80 | opcode, message)],
            "/fragments" => [.. Frame(opcode, message.AsSpan(0, 2)), .. Frame(0x89, "p"u8), .. Frame(0x00, message.AsSpan(2, 3)), .. Frame(0x80, message.AsSpan(5))],
            "/until-end" => [.. Frame(0x81, "part1 "u8), .. Frame(0x81, "part2 EN"u8), .. Frame(0x81, "D tail"u8)],
            "/close" => Frame(0x88, [0x03, 0xF0, .. "going"u8]),
            "/malformed" => [0xC1, 0x01, 0x41],  // RSV1 set without an extension
            _ => [],  // /silent: never answers
        };
        await stream.WriteAsync(answer);
        await stream.FlushAsync();
        // Keep the connection open until the client goes (bounded: the client's timeouts are shorter).
        byte[] sink = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await stream.ReadAsync(sink, timeout.Token) > 0)
            {
                // the client's pong or close
            }
        }
        catch (Exception)
        {
        }
    }

    private static async Task<Stream> RawUpgradeAsync(HttpContext context, string? accept)
    {
        string key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        context.Response.Headers["Upgrade"] = "websocket";
        context.Response.Headers["Connection"] = "Upgrade";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept ?? PerfTest.Protocols.WebSocket.Handshake.ExpectedAccept(key);
        return await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
    }

    private static byte[] Frame(int first, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 125)
        {
            throw new ArgumentException("test frames are short");
        }

        return [(byte)first, (byte)payload.Length, .. payload];
    }

    private static async Task<(byte Opcode, byte[] Payload)> ReadClientFrameAsync(Stream stream)
    {
        byte[] head = new byte[2];
        await stream.ReadExactlyAsync(head);
        Assert.True((head[1] & 0x80) != 0, "client frames are masked");
        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            byte[] extended = new byte[length == 126 ? 2 : 8];
            await stream.ReadExactlyAsync(extended);
            length = extended.Aggregate(0L, (value, b) => (value << 8) | b);
        }

        byte[] mask = new byte[4];
        await stream.ReadExactlyAsync(mask);
        byte[] payload = new byte[length];
        await stream.ReadExactlyAsync(payload);
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] ^= mask[i % 4];
        }

        return ((byte)(head[0] & 0x0F), payload);
    }
}
