using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Variables;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

/// <summary>Compiling checkpoint and extraction cards and ${name} references.</summary>
public sealed class ScriptRulesCompileTests
{
    private static CompiledScript Compile(string contents, string setup = "[]", IGlobalVariables? globals = null) =>
        TestPlans.Compile($$"""{ "contents": {{contents}}, "setup_contents": {{setup}} }""", globals: globals);

    private static string Get(string url = "http://127.0.0.1:9/x", string header = "h") =>
        $$"""{ "content_type": 2, "content": { "name": "n", "url": "{{url}}", "headers": [ { "key": "X", "value": "{{header}}" } ] } }""";

    private const string Check = """{ "content_type": 3, "content": { "checks": [ { "source": "status", "operator": "equals", "value": "200" } ] } }""";
    private const string Think = """{ "content_type": 1, "content": { "think_time": 0 } }""";

    private static string Extract(string name) =>
        $$"""{ "content_type": 4, "content": { "extractions": [ { "name": "{{name}}", "source": "header", "expression": "X-Token" } ] } }""";

    [Fact]
    public void Checkpoints_and_extractions_fold_into_the_preceding_packet_card()
    {
        var script = Compile($$"""[ { "content": [ {{Get()}}, {{Think}}, {{Check}}, {{Extract("t")}}, {{Get()}} ] }, { "content": [ {{Get()}} ] } ]""");
        Assert.Collection(script.Main,
            c => Assert.Equal((1, 1), (((HttpPacketCard)c).Rules.Checkpoints.Count, ((HttpPacketCard)c).Rules.Extractors.Count)),
            c => Assert.IsType<ThinkTimeCard>(c),
            c => Assert.True(((HttpPacketCard)c).Rules.IsEmpty),
            c => Assert.True(((HttpPacketCard)c).Rules.IsEmpty));
        Assert.All(script.Main.OfType<HttpPacketCard>(), c => Assert.Null(c.Built.Templated));
    }

    [Fact]
    public void References_to_earlier_extractions_and_to_globals_compile_and_the_report_keeps_the_text()
    {
        var globals = new CountingGlobals("user");
        var script = Compile($$"""[ { "content": [ {{Get("http://127.0.0.1:9/a/${t}?u=${user}", "${t2}")}} ] } ]""",
            $$"""[ { "content": [ {{Get()}}, {{Extract("t")}}, {{Extract("t2")}} ] } ]""", globals);
        var card = (HttpPacketCard)Assert.Single(script.Main);
        Assert.NotNull(card.Built.Templated);
        Assert.Equal("n#GET#http://127.0.0.1:9/a/${t}?u=${user}", TestPlans.MethodUrls(script).ElementAt(card.Key));
        Assert.Same(globals, script.Globals);
        Assert.Equal(0, globals.Draws);
        Assert.Equal(1, script.ConnectionSlots); // the origin holds no reference: the same slot as the setup's
    }

    [Fact]
    public void An_origin_with_a_reference_gets_its_own_connection_slot()
    {
        var script = Compile($$"""[ { "content": [ {{Get()}}, {{Get("http://${host}/x")}}, {{Get("http://${host}/y")}} ] } ]""", globals: new CountingGlobals("host"));
        Assert.Equal(2, script.ConnectionSlots);
    }

    [Theory]
    [InlineData("[ { \"content\": [ CHECK ] } ]", "contents[0].content[0] is a checkpoint card with no HTTP, HTTPS, TCP, UDP or WebSocket packet card before it")]
    [InlineData("[ { \"content\": [ GET ] }, { \"content\": [ THINK, EXTRACT ] } ]", "contents[1].content[1] is an extraction card with no HTTP, HTTPS, TCP, UDP or WebSocket packet card")]
    [InlineData("[ { \"content\": [ GETREF ] } ]", "contents[0].content[0].content.url references ${t}, which is neither extracted by an earlier card nor a global variable")]
    [InlineData("[ { \"content\": [ GETREF, EXTRACT ] } ]", "contents[0].content[0].content.url references ${t}")]
    [InlineData("[ { \"content\": [ GETHEADER ] } ]", "contents[0].content[0].content.headers[0].value references ${nope}")]
    [InlineData("[ { \"content\": [ GETBODY ] } ]", "contents[0].content[0].content.bodys references ${b}")]
    [InlineData("[ { \"content\": [ GETFORM ] } ]", "contents[0].content[0].content.bodys[1].value references ${f}")]
    [InlineData("[ { \"content\": [ GET, BADCHECK ] } ]", "contents[0].content[1].content.checks[0].operator 'foo' is not one of")]
    [InlineData("[ { \"content\": [ GET, { \"content_type\": 9 } ] } ]", "contents[0].content[1].content_type 9 is not supported")]
    public void Bad_cards_and_unknown_references_are_refused_naming_the_path(string contents, string expected)
    {
        contents = contents.Replace("BADCHECK", """{ "content_type": 3, "content": { "checks": [ { "source": "status", "operator": "foo" } ] } }""")
            .Replace("CHECK", Check).Replace("THINK", Think).Replace("EXTRACT", Extract("t"))
            .Replace("GETREF", Get("http://127.0.0.1:9/${t}")).Replace("GETHEADER", Get(header: "${nope}"))
            .Replace("GETBODY", """{ "content_type": 2, "content": { "url": "http://h/", "bodys": [ "${b}" ] } }""")
            .Replace("GETFORM", """{ "content_type": 2, "content": { "url": "http://h/", "body_type": 3, "bodys": [ { "key": "a", "value": "1" }, { "key": "b", "value": "${f}" } ] } }""")
            .Replace("GET", Get());
        Assert.Contains(expected, Assert.Throws<ScriptException>(() => Compile(contents)).Message);
    }

    [Fact]
    public void A_header_value_that_cannot_be_sent_is_refused_at_compile_time() =>
        Assert.Contains("contents[0].content[0].content.headers", Assert.Throws<ScriptException>(() =>
            Compile($$"""[ { "content": [ {{Get(header: "a\\r\\nb: c")}} ] } ]""")).Message);
}
