using PerfTest.Executor.Contract;
using PerfTest.Protocols.Mqtt;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.WebSocket;
using PerfTest.Executor.Scripting.Streaming;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// Compiles the packet cards of the protocols beyond HTTP (TCP, UDP, HLS/RTMP, WebSocket, HTTP-FLV, MQTT). Each card
/// gets its own client slot in the VU. The card fields each protocol reads are documented in docs/protocols-*.md;
/// a value a protocol library refuses (bad URL, bad end rule, bad QoS...) fails the start with the card's path.
/// </summary>
internal static class ProtocolCardCompiler
{
    public static IPacketCard Compile(PacketCard card, string path, CompileContext context)
    {
        try
        {
            return card.RequestCase switch
            {
                PacketCard.RequestOneofCase.Stream => Stream(card, path, context),
                PacketCard.RequestOneofCase.Socket => Socket(card, path, context),
                PacketCard.RequestOneofCase.Websocket => WebSocket(card, path, context),
                PacketCard.RequestOneofCase.Mqtt => Mqtt(card, path, context),
                _ => throw new ScriptException($"{path} is a packet card of no protocol this executor knows"),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ScriptException($"{path}.content: {e.Message}");
        }
    }

    private static StreamPlayCard Stream(PacketCard card, string path, CompileContext context)
    {
        var source = StreamSources.Compile(card.Stream, path, context.ClientOptions(card));
        var (key, name) = context.AddRequest(path, card.Name, source.Method, source.Url, source.Method);
        return new StreamPlayCard(key, name, context.ClientSlots++, source);
    }

    private static SocketPacketCard Socket(PacketCard card, string path, CompileContext context)
    {
        var socket = card.Socket;
        var (connectTimeout, returnTimeout) = ((int)Math.Min(card.ConnectTimeoutMs, int.MaxValue), (int)Math.Min(card.ReturnTimeoutMs, int.MaxValue));
        var format = socket.HasBodyFormat ? socket.BodyFormat : null;
        var end = socket.End ?? new EndRule();
        var message = TemplatedMessage.Compile([Payload(socket.Payload, path)], path + ".content",
            t => SocketExchange.FromCard(socket.Url, t[0], format, end.Type, end.Length, end.HasText ? end.Text : null, connectTimeout, returnTimeout),
            context.IsKnown);
        var method = socket.Udp ? "UDP" : "TCP";
        var (key, name) = context.AddRequest(path, card.Name, method, socket.Url, method);
        return new SocketPacketCard(key, name, context.ClientSlots++, message, udp: socket.Udp, context.Targets);
    }

    private static WebSocketPacketCard WebSocket(PacketCard card, string path, CompileContext context)
    {
        var ws = card.Websocket;
        if (!Uri.TryCreate(ws.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ScriptException($"{path}.content.url '{ws.Url}' is not a ws:// or wss:// URL");
        }
        var type = ws.HasMessageType ? ws.MessageType : null;
        var end = ws.End ?? new EndRule();
        var message = TemplatedMessage.Compile([Payload(ws.Payload, path)], path + ".content",
            t => WebSocketExchange.FromCard(type, t[0], end.Type, end.Length, end.HasText ? end.Text : null), context.IsKnown);
        var headers = ws.Headers.Where(h => h.Name.Length > 0).Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
        WebSocketConnection.Validate(uri, headers);  // now, not at each VU's first message
        var (key, name) = context.AddRequest(path, card.Name, "WebSocket", ws.Url, "WebSocket");
        return new WebSocketPacketCard(key, name, context.ClientSlots++, uri, headers, context.ClientOptions(card), message);
    }

    private static MqttPacketCard Mqtt(PacketCard card, string path, CompileContext context)
    {
        var mqtt = card.Mqtt;
        var options = new MqttSessionOptions
        {
            Url = MqttSessionOptions.ParseUrl(mqtt.Url),
            ClientId = mqtt.ClientId,
            Username = mqtt.HasUsername ? mqtt.Username : null,
            Password = mqtt.HasPassword ? mqtt.Password : null,
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
            CleanSession = mqtt.CleanSession,
            AcceptAnyServerCertificate = mqtt.AcceptAnyCertificate || context.AcceptAnyCertificate,
            ConnectTimeout = CompileContext.Millis(card.ConnectTimeoutMs),
            ReturnTimeout = CompileContext.Millis(card.ReturnTimeoutMs),
            Targets = context.Targets,
        };
        var action = mqtt.Action;
        var (qos, retain) = (mqtt.Qos, mqtt.Retain);
        var publish = action == MqttAction.Subscribe ? null
            : TemplatedMessage.Compile([(mqtt.Topic, path + ".content.topic"), Payload(mqtt.Payload, path)], path + ".content",
                t => MqttPublish.Create(t[0]!, qos, t[1], retain), context.IsKnown);
        var filter = action switch
        {
            MqttAction.Subscribe => mqtt.Topic,
            MqttAction.PublishAndWait => mqtt.WaitTopic,
            _ => null,
        };
        if (action == MqttAction.Subscribe && qos is < 0 or > 2)
        {
            throw new ScriptException($"{path}.content.qos {qos} is not 0, 1 or 2");
        }
        var (key, name) = context.AddRequest(path, card.Name, "MQTT", mqtt.Url, "MQTT");
        return new MqttPacketCard(key, name, context.ClientSlots++, options, action, publish, filter, qos);
    }

    /// <summary>The card's payload and its field's path.</summary>
    private static (string? Text, string Path) Payload(Payload payload, string path) =>
        (payload is { HasText: true } ? payload.Text : null, $"{path}.content.{payload?.Field ?? "body"}");
}
