using System.Text.Json.Nodes;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using Xunit;

namespace PerfTest.Executor.Tests;

public sealed class ScriptCompilerTests
{
    private static CompiledScript Compile(string contents, string? setup = null) =>
        ScriptCompiler.Compile((JsonObject)JsonNode.Parse($$"""{ "contents": {{contents}}, "setup_contents": {{setup ?? "[]"}} }""")!, false);

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
            script.Requests.Select(r => r.MethodUrl));
        Assert.Equal(2, script.ConnectionSlots);
    }

    [Theory]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h/", "protocol_type": 9 } } ] } ]""", "contents[0].content[0].content.protocol_type 9")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "http://h/", "protocol_type": 3 } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "127.0.0.1:9", "protocol_type": 4, "check_end_type": 7 } } ] } ]""", "contents[0].content[0].content: ")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "127.0.0.1:9", "protocol_type": 3 } }, { "content_type": 3, "content": { "checks": [ { "source": "status", "operator": "exists" } ] } } ] } ]""", "contents[0].content[1] is a checkpoint card with no packet card before it in its block, or with a TCP/UDP one")]
    [InlineData("""[ { "content": [ { "content_type": 2, "content": { "url": "ftp://h/", "protocol_type": 1 } } ] } ]""", "contents[0].content[0].content.url")]
    [InlineData("""[ { "data_type": 201, "content": [] } ]""", "contents[0].data.loop_count is required")]
    [InlineData("""[ { "data_type": 302, "content": [] } ]""", "contents[0].data_type 302 (plug-in request)")]
    [InlineData("""[ { "data_type": 203, "data": { "percentage": 101 }, "content": [] } ]""", "contents[0].data.percentage 101")]
    [InlineData("""[ { "data_type": 202, "conditions": { "items": [ { "source": "variable", "key": "x", "operator": "~" } ] }, "content": [] } ]""", "contents[0].conditions.items[0].operator '~'")]
    [InlineData("""[ { "content_id": 9, "content": [] } ]""", "contents[0].content_id 9 names a transaction the plan does not carry")]
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
            PlanRunner.Compile(new RunPlan { CaseJson = $$"""{ "contents": {{contents}} }""" })).Message);
        Assert.Contains("stages[0].time", Assert.Throws<ScriptException>(() =>
            PlanRunner.Compile(new RunPlan { CaseJson = $$"""{ "contents": {{contents}}, "stages": [ { "operate_mode": 0, "time": 0 } ] }""" })).Message);
    }
}
