using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Planning;

/// <summary>
/// Reads a packet card's content (content_type 2) by its protocol_type: 1 HTTP, 2 HTTPS, 3 TCP, 4 UDP,
/// 7 HLS/RTMP, 9 WebSocket, 10 HTTP-FLV, 11 MQTT. The fields each protocol reads are documented in
/// docs/protocols-*.md; their values (URLs, end rules, payload encodings) are judged by the executor's compiler.
/// </summary>
internal static class PacketReader
{
    public static PacketCard Read(JsonObject info, string path)
    {
        var protocol = info["protocol_type"] is null ? 1 : CaseJson.Int(info, "protocol_type");
        var card = new PacketCard
        {
            Name = CaseJson.Text(info, "name") ?? "",
            ConnectTimeoutMs = CaseJson.Millis(info, "connect_timeout"),
            ReturnTimeoutMs = CaseJson.Millis(info, "return_timeout"),
        };
        switch (protocol)
        {
            case 1 or 2:
                card.Http = Http(info, path, protocol == 2);
                break;
            case 3 or 4:
                card.Socket = Socket(info, path, protocol == 4);
                break;
            case 7 or 10:
                card.Stream = Stream(info, path, protocol);
                break;
            case 9:
                card.Websocket = WebSocket(info, path);
                break;
            case 11:
                card.Mqtt = Mqtt(info, path);
                break;
            default:
                throw new ScriptException($"{path}.content.protocol_type {protocol} is not supported by this executor yet (1 HTTP, 2 HTTPS, 3 TCP, 4 UDP, 7 HLS/RTMP, 9 WebSocket, 10 HTTP-FLV, 11 MQTT are)");
        }
        return card;
    }

    private static HttpPacket Http(JsonObject info, string path, bool https)
    {
        var request = new HttpPacket
        {
            Https = https,
            Url = CaseJson.Text(info, "url") ?? throw new ScriptException($"{path}.content.url is required for an HTTP packet"),
            Method = (CaseJson.Text(info, "method") ?? "GET").ToUpperInvariant(),
        };
        request.Headers.AddRange(Headers(info));
        var bodys = info["bodys"] as JsonArray ?? [];
        switch (CaseJson.Int(info, "body_type"))
        {
            case 0:
                request.BodyType = HttpBodyType.String;
                request.Body = string.Concat(bodys.Select(b => b is JsonObject o ? CaseJson.Text(o, "value") ?? CaseJson.Text(o, "body") ?? ""
                    : b?.GetValueKind() == System.Text.Json.JsonValueKind.String ? b.GetValue<string>() : b?.ToJsonString() ?? ""));
                break;
            case var type and (1 or 3):
                request.BodyType = type == 1 ? HttpBodyType.FormData : HttpBodyType.UrlEncoded;
                request.FormFields.AddRange(bodys.OfType<JsonObject>()
                    .Select(o => new Header { Name = CaseJson.Text(o, "key") ?? "", Value = CaseJson.Text(o, "value") ?? "" }));
                break;
            case var other:
                throw new ScriptException($"{path}.content.body_type {other} is not supported (0 string, 1 form-data, 3 x-www-form-urlencoded)");
        }
        return request;
    }

    private static SocketMessage Socket(JsonObject info, string path, bool udp)
    {
        var message = new SocketMessage { Udp = udp, Url = Url(info, path), Payload = Payload(info), End = End(info) };
        if (CaseJson.Text(info, "body_format") is { } format)
        {
            message.BodyFormat = format;
        }
        return message;
    }

    private static WebSocketMessage WebSocket(JsonObject info, string path)
    {
        var message = new WebSocketMessage { Url = Url(info, path), Payload = Payload(info), End = End(info) };
        if (CaseJson.Text(info, "message_type") is { } type)
        {
            message.MessageType = type;
        }
        message.Headers.AddRange(Headers(info));
        return message;
    }

    private static MqttMessage Mqtt(JsonObject info, string path)
    {
        var action = (CaseJson.Text(info, "action") ?? "publish") switch
        {
            "publish" => MqttAction.Publish,
            "subscribe" => MqttAction.Subscribe,
            "publish_and_wait" => MqttAction.PublishAndWait,
            var other => throw new ScriptException($"{path}.content.action '{other}' is not one of publish, subscribe, publish_and_wait"),
        };
        var message = new MqttMessage
        {
            Url = Url(info, path),
            ClientId = CaseJson.Text(info, "client_id") ?? "",
            KeepAliveSeconds = info["keep_alive"] is null ? 60 : Math.Max(0, CaseJson.Int(info, "keep_alive")),
            CleanSession = CaseJson.Bool(info, "clean_session", true),
            AcceptAnyCertificate = CaseJson.Bool(info, "accept_any_certificate", false),
            Action = action,
            Topic = CaseJson.Text(info, "topic") is { Length: > 0 } t ? t : throw new ScriptException($"{path}.content.topic is required for MQTT"),
            Qos = CaseJson.Int(info, "qos"),
            Retain = CaseJson.Bool(info, "retain", false),
            Payload = CaseJson.Text(info, "payload") is { } p ? new Payload { Text = p, Field = "payload" } : Payload(info),
            WaitTopic = action != MqttAction.PublishAndWait ? ""
                : CaseJson.Text(info, "wait_topic") is { Length: > 0 } w ? w
                : throw new ScriptException($"{path}.content.wait_topic is required for action publish_and_wait"),
        };
        if (CaseJson.Text(info, "username") is { } user)
        {
            message.Username = user;
        }
        if (CaseJson.Text(info, "password") is { } password)
        {
            message.Password = password;
        }
        return message;
    }

    /// <summary>
    /// A streaming card (docs/protocols-streaming.md): protocol_type 7 plays <c>rtmp_url</c> when set, else the HLS
    /// playlist at <c>url</c>; 10 the HTTP-FLV stream at <c>flv_url</c> (else <c>url</c>). <c>duration</c> in seconds.
    /// </summary>
    private static StreamPlay Stream(JsonObject info, string path, int protocol)
    {
        var play = new StreamPlay
        {
            DurationSeconds = Math.Max(0, CaseJson.Int(info, "duration")),
            BitrateType = CaseJson.Int(info, "bitrate_type"),
            RetryTime = Math.Max(0, CaseJson.Int(info, "retry_time")),
            RetryDelayMs = Math.Max(0, CaseJson.Int(info, "retry_delay")),
        };
        (play.Kind, play.UrlField) = protocol == 10
            ? (StreamKind.HttpFlv, CaseJson.Text(info, "flv_url") is { Length: > 0 } ? "flv_url" : "url")
            : (CaseJson.Text(info, "rtmp_url") is { Length: > 0 } ? (StreamKind.Rtmp, "rtmp_url") : (StreamKind.Hls, "url"));
        play.Url = CaseJson.Text(info, play.UrlField) is { Length: > 0 } url ? url
            : throw new ScriptException(protocol == 10 ? $"{path}.content: protocol_type 10 needs flv_url"
                : $"{path}.content: protocol_type {protocol} needs url (an HLS .m3u8 playlist) or rtmp_url");
        return play;
    }

    private static EndRule End(JsonObject info)
    {
        var end = new EndRule { Type = CaseJson.Int(info, "check_end_type"), Length = CaseJson.Int(info, "check_end_length") };
        if (CaseJson.Text(info, "check_end_str") is { } text)
        {
            end.Text = text;
        }
        return end;
    }

    private static string Url(JsonObject info, string path) =>
        CaseJson.Text(info, "url") ?? throw new ScriptException($"{path}.content.url is required");

    /// <summary>The card's payload and its field: the first of <c>bodys</c>, else <c>body</c>.</summary>
    private static Payload Payload(JsonObject info)
    {
        if (info["bodys"] is JsonArray { Count: > 0 } bodys && bodys[0] is JsonValue v)
        {
            return new Payload { Text = v.ToString(), Field = "bodys[0]" };
        }
        var payload = new Payload { Field = "body" };
        if (CaseJson.Text(info, "body") is { } body)
        {
            payload.Text = body;
        }
        return payload;
    }

    /// <summary>Every header object, those without a name too (the executor skips them), so indexes stay the stored ones.</summary>
    private static IEnumerable<Header> Headers(JsonObject info) =>
        (info["headers"] as JsonArray ?? []).Select(h => h as JsonObject ?? [])
            .Select(h => new Header { Name = CaseJson.Text(h, "key") ?? "", Value = CaseJson.Text(h, "value") ?? "" });
}
