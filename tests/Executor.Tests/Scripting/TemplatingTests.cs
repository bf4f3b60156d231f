using System.Text;
using System.Text.Json.Nodes;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Executor.Scripting.Variables;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

public sealed class TemplatingTests
{
    private sealed class Fixed(Dictionary<string, string> values) : IVariableResolver
    {
        public string Resolve(string name) => values[name];
    }

    [Fact]
    public void A_message_without_references_is_built_once_and_one_with_references_per_render()
    {
        var builds = 0;
        Func<string?[], string> build = t => { builds++; return t[0] is "bad" ? throw new FormatException("bad payload") : string.Join("|", t); };
        var fixedMessage = TemplatedMessage.Compile([("a", "p.bodys[0]"), (null, "p.payload")], "p", build, _ => false);
        Assert.False(fixedMessage.HasReferences);
        Assert.Same(fixedMessage.Preview, fixedMessage.Render(new Fixed([])));
        Assert.Equal("a|", fixedMessage.Preview);
        Assert.Equal(1, builds);

        var templated = TemplatedMessage.Compile([("t/${vu}", "p.topic"), ("${v}", "p.payload")], "p", build, n => n is "vu" or "v");
        Assert.Equal("t/0|0", templated.Preview);  // each reference rendered as "0" to validate the rest
        Assert.Equal("t/7|hi", templated.Render(new Fixed(new() { ["vu"] = "7", ["v"] = "hi" })));
        Assert.Null(TemplatedMessage.Compile([("${v}", "p.payload")], "p", build, _ => true).Render(new Fixed(new() { ["v"] = "bad" })));

        var unknown = Assert.Throws<ScriptException>(() => TemplatedMessage.Compile([("${who}", "p.bodys[0]")], "p", build, _ => false));
        Assert.Contains("p.bodys[0] references ${who}", unknown.Message);
        var invalid = Assert.Throws<ScriptException>(() => TemplatedMessage.Compile([("bad", "p.bodys[0]")], "p", build, _ => false));
        Assert.Equal("p: bad payload", invalid.Message);
    }

    [Theory]
    [InlineData("plain", new string[0], "plain")]
    [InlineData("${a}", new[] { "a" }, "A")]
    [InlineData("x${a}y${b.c-d_1}z${a}", new[] { "a", "b.c-d_1", "a" }, "xAyBzA")]
    [InlineData("$a ${ a} ${} ${a ${b}", new[] { "b" }, "$a ${ a} ${} ${a B")]
    [InlineData("$${a}}", new[] { "a" }, "$A}")]
    [InlineData("${a", new string[0], "${a")]
    public void References_parse_into_segments_and_render(string text, string[] names, string rendered)
    {
        var template = TextTemplate.Parse(text);
        Assert.Equal(names, template.Names);
        Assert.Equal(names.Length > 0, template.HasReferences);
        Assert.Equal(text, template.Text);
        Assert.Equal(rendered, template.Render(new Fixed(new() { ["a"] = "A", ["b"] = "B", ["b.c-d_1"] = "B" })));
    }

    [Fact]
    public void Extracted_values_shadow_globals_and_globals_are_drawn_once_per_iteration()
    {
        var globals = new CountingGlobals("user", "token");
        var scope = new VariableScope(globals);
        Assert.Equal("user-1", scope.Resolve("user"));
        Assert.Equal("user-1", scope.Resolve("user"));
        Assert.Equal("", scope.Resolve("unknown"));
        scope.BeginIteration();
        Assert.Equal("user-2", scope.Resolve("user"));
        scope.Set("token", "extracted");
        Assert.Equal("extracted", scope.Resolve("token"));
        scope.BeginIteration();
        Assert.Equal("extracted", scope.Resolve("token")); // extracted values last across iterations
        Assert.Equal(2, globals.Draws);
    }

    [Fact]
    public void A_request_renders_url_headers_and_each_body_kind()
    {
        var values = new Fixed(new() { ["id"] = "7", ["t"] = "a b&c" });
        var request = Build("""{ "url": "127.0.0.1:9/items/${id}?q=${t}", "headers": [ { "key": "Authorization", "value": "Bearer ${t}" } ], "bodys": [ "{\"id\":", "${id}}" ] }""");
        Assert.NotNull(request.Templated);
        Assert.Equal("http://127.0.0.1:9/items/${id}?q=${t}", request.Templated!.UrlText);
        var built = request.Templated.Render(values);
        Assert.Equal("http://127.0.0.1:9/items/7?q=a%20b&c", built.Template.Url.AbsoluteUri);
        Assert.Contains(new KeyValuePair<string, string>("Authorization", "Bearer a b&c"), built.Headers);
        Assert.Equal("{\"id\":7}", Encoding.UTF8.GetString(built.Body));

        var form = Build("""{ "url": "http://h/", "body_type": 3, "bodys": [ { "key": "k", "value": "${t}" } ] }""");
        Assert.Equal("k=a%20b%26c", Encoding.UTF8.GetString(form.Templated!.Render(values).Body));
        var multipart = Build("""{ "url": "http://h/", "body_type": 1, "bodys": [ { "key": "k", "value": "${id}" } ] }""");
        Assert.Contains("name=\"k\"\r\n\r\n7\r\n", Encoding.UTF8.GetString(multipart.Templated!.Render(values).Body));
    }

    [Fact]
    public void A_request_without_references_is_built_once()
    {
        var request = Build("""{ "url": "http://h/x", "headers": [ { "key": "A", "value": "$ {b}" } ], "bodys": [ "${" ] }""");
        Assert.Null(request.Templated);
        Assert.Equal("${", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void A_rendered_value_that_breaks_the_request_is_a_render_error()
    {
        var request = Build("""{ "url": "http://h/", "headers": [ { "key": "A", "value": "${t}" } ] }""");
        var e = Assert.Throws<RequestRenderException>(() => request.Templated!.Render(new Fixed(new() { ["t"] = "a\r\nB: c" })));
        Assert.Equal("headers", e.Field);
        var host = Build("""{ "url": "${base}/x" }""");
        Assert.Equal("http://h:81/x", host.Templated!.Render(new Fixed(new() { ["base"] = "http://h:81" })).Template.Url.ToString());
        Assert.Equal("url", Assert.Throws<RequestRenderException>(() => host.Templated.Render(new Fixed(new() { ["base"] = "ftp://h" }))).Field);
    }

    private static BuiltRequest Build(string info) =>
        HttpRequestBuilder.Build(PacketReader.Read((JsonObject)JsonNode.Parse(info)!, "p").Http, "p", _ => true);
}
