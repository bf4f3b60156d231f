using System.Text.Json.Nodes;
using PerfTest.Protocols.Mqtt;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.WebSocket;
using PerfTest.Executor.Scripting.Streaming;
using PerfTest.Executor.Scripting.Templating;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// Compiles the packet cards of the protocols beyond HTTP (content_type 2 with protocol_type 3 TCP, 4 UDP,
/// 7 HLS/RTMP, 9 WebSocket, 10 HTTP-FLV, 11 MQTT). Each card gets its own client slot in the VU. The card fields each protocol reads are
/// documented in docs/protocols-tcp-udp.md, docs/protocols-websocket.md and docs/protocols-mqtt.md; a field a
/// protocol library refuses (bad URL, bad end rule, bad QoS...) fails the start with the card's path.
/// </summary>
internal static class ProtocolCardCompiler
{
    /// <summary>The protocol_type values this class compiles.</summary>
    public static bool Handles(int protocol) => protocol is 3 or 4 or 7 or 9 or 10 or 11;

    public static ICard Compile(JsonObject info, string path, int protocol, CompileContext context)
    {
        try
        {
            if (protocol is 7 or 10)
            {
                var source = StreamSources.Compile(info, path, protocol, context.ClientOptions(info));
                var (playKey, playName) = context.AddRequest(ScriptJson.Text(info, "name"), source.Method, source.Url);
                return new StreamPlayCard(playKey, playName, context.ClientSlots++, source);
            }
            var url = ScriptJson.Text(info, "url") ?? throw new ScriptException($"{path}.content.url is required");
            return protocol switch
            {
                3 or 4 => Socket(info, path, url, protocol, context),
                9 => WebSocket(info, path, url, context),
                _ => Mqtt(info, path, url, context),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ScriptException($"{path}.content: {e.Message}");
        }
    }

    private static SocketPacketCard Socket(JsonObject info, string path, string url, int protocol, CompileContext context)
    {
        var (format, endType, endLength, endString) = (ScriptJson.Text(info, "body_format"), Int(info, "check_end_type"),
            Int(info, "check_end_length"), ScriptJson.Text(info, "check_end_str"));
        var (connectTimeout, returnTimeout) = (Int(info, "connect_timeout"), Int(info, "return_timeout"));
        var message = TemplatedMessage.Compile([Body(info, path)], path + ".content",
            t => SocketExchange.FromCard(url, t[0], format, endType, endLength, endString, connectTimeout, returnTimeout), context.IsKnown);
        var (key, name) = context.AddRequest(ScriptJson.Text(info, "name"), protocol == 3 ? "TCP" : "UDP", url);
        return new SocketPacketCard(key, name, context.ClientSlots++, message, udp: protocol == 4);
    }

    private static WebSocketPacketCard WebSocket(JsonObject info, string path, string url, CompileContext context)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ScriptException($"{path}.content.url '{url}' is not a ws:// or wss:// URL");
        }
        var (type, endType, endLength, endString) = (ScriptJson.Text(info, "message_type"), Int(info, "check_end_type"),
            Int(info, "check_end_length"), ScriptJson.Text(info, "check_end_str"));
        var message = TemplatedMessage.Compile([Body(info, path)], path + ".content",
            t => WebSocketExchange.FromCard(type, t[0], endType, endLength, endString), context.IsKnown);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in info["headers"] as JsonArray ?? [])
        {
            if (header is JsonObject h && ScriptJson.Text(h, "key") is { Length: > 0 } name)
            {
                headers.Add(new(name, ScriptJson.Text(h, "value") ?? ""));
            }
        }
        WebSocketConnection.Validate(uri, headers);  // now, not at each VU's first message
        var (key, cardName) = context.AddRequest(ScriptJson.Text(info, "name"), "WebSocket", url);
        return new WebSocketPacketCard(key, cardName, context.ClientSlots++, uri, headers, context.ClientOptions(info), message);
    }

    private static MqttPacketCard Mqtt(JsonObject info, string path, string url, CompileContext context)
    {
        var options = new MqttSessionOptions
        {
            Url = MqttSessionOptions.ParseUrl(url),
            ClientId = ScriptJson.Text(info, "client_id") ?? "",
            Username = ScriptJson.Text(info, "username"),
            Password = ScriptJson.Text(info, "password"),
            KeepAlive = TimeSpan.FromSeconds(info["keep_alive"] is null ? 60 : Math.Max(0, Int(info, "keep_alive"))),
            CleanSession = Bool(info, "clean_session", true),
            AcceptAnyServerCertificate = Bool(info, "accept_any_certificate", false) || context.AcceptAnyCertificate,
            ConnectTimeout = ScriptJson.Millis(info, "connect_timeout"),
            ReturnTimeout = ScriptJson.Millis(info, "return_timeout"),
        };
        var action = (ScriptJson.Text(info, "action") ?? "publish") switch
        {
            "publish" => MqttAction.Publish,
            "subscribe" => MqttAction.Subscribe,
            "publish_and_wait" => MqttAction.PublishAndWait,
            var other => throw new ScriptException($"{path}.content.action '{other}' is not one of publish, subscribe, publish_and_wait"),
        };
        var topic = ScriptJson.Text(info, "topic") is { Length: > 0 } t ? t : throw new ScriptException($"{path}.content.topic is required for MQTT");
        var qos = Int(info, "qos");
        var retain = Bool(info, "retain", false);
        var payload = ScriptJson.Text(info, "payload") is { } p ? (p, path + ".content.payload") : Body(info, path);
        var publish = action == MqttAction.Subscribe ? null
            : TemplatedMessage.Compile([(topic, path + ".content.topic"), payload], path + ".content",
                t => MqttPublish.Create(t[0]!, qos, t[1], retain), context.IsKnown);
        var filter = action switch
        {
            MqttAction.Subscribe => topic,
            MqttAction.PublishAndWait => ScriptJson.Text(info, "wait_topic") is { Length: > 0 } w ? w
                : throw new ScriptException($"{path}.content.wait_topic is required for action publish_and_wait"),
            _ => null,
        };
        if (action == MqttAction.Subscribe && qos is < 0 or > 2)
        {
            throw new ScriptException($"{path}.content.qos {qos} is not 0, 1 or 2");
        }
        var (key, name) = context.AddRequest(ScriptJson.Text(info, "name"), "MQTT", url);
        return new MqttPacketCard(key, name, context.ClientSlots++, options, action, publish, filter, qos);
    }

    /// <summary>The card's payload and its field's path: the first of <c>bodys</c>, else <c>body</c>.</summary>
    private static (string? Text, string Path) Body(JsonObject info, string path) =>
        info["bodys"] is JsonArray { Count: > 0 } bodys && bodys[0] is JsonValue v
            ? (v.ToString(), path + ".content.bodys[0]") : (ScriptJson.Text(info, "body"), path + ".content.body");

    private static bool Bool(JsonObject info, string name, bool fallback) =>
        info[name] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    private static int Int(JsonObject o, string name) => ScriptJson.Int(o, name);
}
