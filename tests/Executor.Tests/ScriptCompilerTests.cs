using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Streaming;
using Xunit;

namespace PerfTest.Executor.Tests;

public sealed class ScriptCompilerTests
{
    private static CompiledScript Compile(string contents, string? setup = null) =>
        TestPlans.Compile($$"""{ "contents": {{contents}}, "setup_contents": {{setup ?? "[]"}} }""");

    private const string Get = """{ "content_type": 2, "content": { "name": "a", "method": "get", "url": "http://127.0.0.1:9/x", "protocol_type": 1 } }""";

    [Fact]
    public void Packets_and_think_times_compile_in_order_and_disabled_blocks_are_skipped()
    {
        var script = Compile($$"""
            [ { "content": [ {{Get}}, { "content_type": 1, "content": { "think_time": 250 } } ] },
              { "is_disabled": true, "content": [ {{Get}} ] },
              { "content": [ { "content_type": 2, "content": { "name": "b", "method": "POST", "url": "127.0.0.1:9/y", "protocol_type": 2 } } ] } ]
            """, $$"""[ { "content": [ {{Get}} ] } ]""");
        Assert.Collection(script.Main,
            c => Assert.Equal("GET", Assert.IsType<HttpPacketCard>(c).Request.Method),
            c => Assert.Equal(TimeSpan.FromMilliseconds(250), Assert.IsType<ThinkTimeCard>(c).Delay),
            c => Assert.Equal("https://127.0.0.1:9/y", Assert.IsType<HttpPacketCard>(c).Request.Url.ToString()));
        Assert.Single(script.Setup);
        Assert.Equal(["a#GET#http://127.0.0.1:9/x", "a#GET#http://127.0.0.1:9/x", "b#POST#https://127.0.0.1:9/y"],
            TestPlans.MethodUrls(script));
        Assert.Equal(2, script.ConnectionSlots);
    }

    [Fact]
    public void An_http_cards_protocol_is_the_scheme_it_is_sent_with()
    {
        var script = Compile("""
            [ { "content": [
                { "content_type": 2, "content": { "url": "https://127.0.0.1:9/a", "protocol_type": 1 } },
                { "content_type": 2, "content": { "url": "127.0.0.1:9/b", "protocol_type": 2 } },
                { "content_type": 2, "content": { "url": "http://127.0.0.1:9/c", "protocol_type": 1 } } ] } ]
            """);
        Assert.Equal(["HTTPS", "HTTPS", "HTTP"], script.Keys.Select(k => k.Protocol));
    }

    [Fact]
    public void Tcp_websocket_and_mqtt_cards_compile_with_their_own_client_slots_and_body_rules()
    {
        var script = Compile("""
            [ { "content": [
                { "content_type": 2, "content": { "name": "t", "protocol_type": 3, "url": "tcp://127.0.0.1:9", "bodys": [ "hi" ] } },
                { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "contains", "value": "ok" } ] } },
                { "content_type": 2, "content": { "name": "w", "protocol_type": 9, "url": "ws://127.0.0.1:9/echo", "bodys": [ "hi" ],
                  "headers": [ { "key": "X-Token", "value": "t" } ] } },
                { "content_type": 4, "content": { "extractions": [ { "name": "id", "source": "json_path", "expression": "$.id" } ] } },
                { "content_type": 2, "content": { "name": "m", "protocol_type": 11, "url": "mqtt://127.0.0.1:9", "topic": "a/${id}", "qos": 1,
                  "action": "publish_and_wait", "wait_topic": "a/#", "payload": "x ${id}" } } ] } ]
            """);
        Assert.Collection(script.Main,
            c => Assert.Single(Assert.IsType<SocketPacketCard>(c).Rules.Checkpoints),
            c => Assert.Single(Assert.IsType<WebSocketPacketCard>(c).Rules.Extractors),
            c => Assert.Equal(MqttAction.PublishAndWait, Assert.IsType<MqttPacketCard>(c).Action));
        Assert.Equal(["t#TCP#tcp://127.0.0.1:9", "w#WebSocket#ws://127.0.0.1:9/echo", "m#MQTT#mqtt://127.0.0.1:9"],
            TestPlans.MethodUrls(script));
        Assert.Equal(0, script.ConnectionSlots);  // no HTTP origin: each card has its own client slot instead
    }

    [Fact]
    public void Streaming_cards_compile_to_hls_or_rtmp_plays_with_their_fields()
    {
        var script = Compile("""
            [ { "content": [
                { "content_type": 2, "content": { "name": "hls", "protocol_type": 7, "url": "http://127.0.0.1:9/master.m3u8",
                  "bitrate_type": 1, "duration": 30, "retry_time": 2, "retry_delay": 500 } },
                { "content_type": 2, "content": { "name": "rtmp", "protocol_type": 7, "rtmp_url": "rtmp://127.0.0.1:9/live/s", "return_timeout": 800 } },
                { "content_type": 2, "content": { "name": "flv", "protocol_type": 10, "flv_url": "https://127.0.0.1:9/live.flv", "duration": 5 } } ] } ]
            """);
        var hls = Assert.IsType<HlsSource>(Assert.IsType<StreamPlayCard>(script.Main[0]).Source).Spec;
        Assert.Equal((1, TimeSpan.FromSeconds(30), 2, TimeSpan.FromMilliseconds(500)), (hls.BitrateType, hls.Duration, hls.RetryTimes, hls.RetryDelay));
        var rtmp = Assert.IsType<RtmpSource>(Assert.IsType<StreamPlayCard>(script.Main[1]).Source).Spec;
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(800)), (rtmp.Duration, rtmp.ResponseTimeout));
        var flv = Assert.IsType<HttpFlvSource>(Assert.IsType<StreamPlayCard>(script.Main[2]).Source).Spec;
        Assert.Equal(TimeSpan.FromSeconds(5), flv.Duration);
        Assert.Equal(["hls#HLS#http://127.0.0.1:9/master.m3u8", "rtmp#RTMP#rtmp://127.0.0.1:9/live/s", "flv#HTTP-FLV#https://127.0.0.1:9/live.flv"],
            TestPlans.MethodUrls(script));
    }

    [Theory]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h/", "protocol_type": 5 } } ] } ]""", "contents[0].content[0].content.protocol_type 5")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "protocol_type": 7 } } ] } ]""", "contents[0].content[0].content: protocol_type 7 needs url (an HLS .m3u8 playlist) or rtmp_url")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "protocol_type": 7, "rtmp_url": "http://h/live/s" } } ] } ]""", "contents[0].content[0].content.rtmp_url 'http://h/live/s' is not an absolute rtmp:// URL")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "ws://h/", "protocol_type": 9, "bodys": [ "${who}" ] } } ] } ]""", "contents[0].content[0].content.bodys[0] references ${who}, which is neither extracted")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "t/${vu}" } } ] } ]""", "contents[0].content[0].content.topic references ${vu}")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "tcp://h:1", "protocol_type": 3, "body_format": "hex", "bodys": [ "zz" ] } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "protocol_type": 10 } } ] } ]""", "contents[0].content[0].content: protocol_type 10 needs flv_url")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "protocol_type": 10, "flv_url": "rtmp://h/live" } } ] } ]""", "contents[0].content[0].content.flv_url 'rtmp://h/live' is not an absolute http:// or https:// URL")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "protocol_type": 7, "url": "h/x.m3u8" } } ] } ]""", "contents[0].content[0].content.url 'h/x.m3u8' is not an absolute http:// or https:// URL")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h/", "protocol_type": 9 } } ] } ]""", "contents[0].content[0].content.url 'http://h/' is not a ws:// or wss:// URL")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "ws://h/", "protocol_type": 9, "message_type": "json" } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "ws://h/", "protocol_type": 9, "headers": [ { "key": "X-A", "value": "a\nb" } ] } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11 } } ] } ]""", "contents[0].content[0].content.topic is required")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h", "protocol_type": 11, "topic": "t" } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "a/#" } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "a", "qos": 3 } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "a", "action": "poll" } } ] } ]""", "contents[0].content[0].content.action 'poll'")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "a", "action": "publish_and_wait" } } ] } ]""", "contents[0].content[0].content.wait_topic is required")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "mqtt://h", "protocol_type": 11, "topic": "a" } }, { "content_type": 4, "content": { "extractions": [ { "name": "x", "source": "body", "expression": "(.*)" } ] } } ] } ]""", "contents[0].content[1] is an extraction card with no HTTP, HTTPS, TCP, UDP or WebSocket packet card before it")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h/", "protocol_type": 3 } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "127.0.0.1:9", "protocol_type": 4, "check_end_type": 7 } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "127.0.0.1:9", "protocol_type": 3 } }, { "content_type": 3, "content": { "checks": [ { "source": "status", "operator": "exists" } ] } } ] } ]""", "contents[0].content[1] is a checkpoint card reading a status or header after a TCP, UDP or WebSocket card")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "ftp://h/", "protocol_type": 1 } } ] } ]""", "contents[0].content[0].content.url")]
    [InlineData("""[ { "data_type": 201, "content": [] } ]""", "contents[0].data.loop_count is required")]
    [InlineData("""[ { "data_type": 302, "content": [] } ]""", "contents[0].data_type 302 (plug-in request)")]
    [InlineData("""[ { "data_type": 203, "data": { "percentage": 101 }, "content": [] } ]""", "contents[0].data.percentage 101")]
    [InlineData("""[ { "data_type": 202, "conditions": { "items": [ { "source": "variable", "key": "x", "operator": "~" } ] }, "content": [] } ]""", "contents[0].conditions.items[0].operator '~'")]
    [InlineData("""[ { "content_id": 9, "content": [] } ]""", "contents[0].content_id 9 names no transaction of this project")]
    [InlineData("""[ { "content": [ { "content_type": 1, "content": { "think_time": 5 } } ] } ]""", "no enabled packet")]
    public void What_cannot_run_is_refused_naming_the_card(string contents, string expected)
    {
        var e = Assert.Throws<ScriptException>(() => Compile(contents));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_plan_without_stages_or_with_a_zero_duration_is_refused()
    {
        var contents = $$"""[ { "content": [ {{Get}} ] } ]""";
        Assert.Contains("stages is empty", Assert.Throws<ScriptException>(() =>
            PlanRunner.Compile(TestPlans.RunPlan($$"""{ "contents": {{contents}} }"""))).Message);
        Assert.Contains("stages[0].time", Assert.Throws<ScriptException>(() =>
            PlanRunner.Compile(TestPlans.RunPlan($$"""{ "contents": {{contents}}, "stages": [ { "operate_mode": 0, "time": 0 } ] }"""))).Message);
    }
}
