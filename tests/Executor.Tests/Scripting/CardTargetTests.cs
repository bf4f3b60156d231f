using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

/// <summary>
/// The start-time half of the target policy, in the executor's compiler: a card whose URL names a refused address
/// (or a denied name) fails to compile, naming the card, its field and the reason. Nothing connects here.
/// </summary>
public sealed class CardTargetTests
{
    private static CasePlan Plan(string card, TargetRules? targets)
    {
        var plan = TestPlans.Plan((JsonObject)JsonNode.Parse($$"""{ "contents": [ { "content": [ {{card}} ] } ] }""")!);
        plan.Targets = targets;
        return plan;
    }

    private static string Refusal(string card, TargetRules? targets) =>
        Assert.Throws<ScriptException>(() => ScriptCompiler.Compile(Plan(card, targets), acceptAnyCertificate: false)).Message;

    private static TargetRules LoopbackBut127002 => new() { AllowNetworks = { "127.0.0.0/8" }, DenyNetworks = { "127.0.0.2/32" }, DenyHosts = { "*.denied.test" } };

    [Theory]
    [InlineData("""{ "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.2:9", "bodys": [ "x" ] } }""",
        "contents[0].content[0] (tcp).content.url 'tcp://127.0.0.2:9' is refused by the target policy: 127.0.0.2 is on the deny list")]
    [InlineData("""{ "content_type": 2, "content": { "name": "rtmp", "protocol_type": 7, "rtmp_url": "rtmp://127.0.0.2:9/live/s" } }""",
        "contents[0].content[0] (rtmp).content.rtmp_url 'rtmp://127.0.0.2:9/live/s' is refused by the target policy: 127.0.0.2 is on the deny list")]
    [InlineData("""{ "content_type": 2, "content": { "name": "ws", "protocol_type": 9, "url": "ws://a.denied.test:9/x", "bodys": [ "x" ] } }""",
        "contents[0].content[0] (ws).content.url 'ws://a.denied.test:9/x' is refused by the target policy: a.denied.test is on the deny list")]
    [InlineData("""{ "content_type": 2, "content": { "name": "mqtt", "protocol_type": 11, "url": "mqtt://user@[::ffff:127.0.0.2]:1883", "topic": "t", "payload": "x" } }""",
        "contents[0].content[0] (mqtt).content.url 'mqtt://user@[::ffff:127.0.0.2]:1883' is refused by the target policy: ::ffff:127.0.0.2 is on the deny list")]
    public void A_card_aimed_at_a_denied_address_or_name_fails_to_compile_naming_it(string card, string message) =>
        Assert.Equal(message, Refusal(card, LoopbackBut127002));

    [Fact]
    public void A_plan_without_a_policy_allows_public_addresses_only()
    {
        const string Card = """{ "content_type": 2, "content": { "name": "h", "protocol_type": 1, "method": "GET", "url": "http://127.0.0.1:9/" } }""";
        Assert.EndsWith("127.0.0.1 is loopback and not allowed", Refusal(Card, targets: null), StringComparison.Ordinal);
        Assert.NotNull(ScriptCompiler.Compile(Plan(Card.Replace("127.0.0.1", "192.0.2.1", StringComparison.Ordinal), targets: null), false));
    }

    [Theory]
    [InlineData("http://user:pw@example.com:8080/p?q", "example.com")]
    [InlineData("tcp://[::1]:9000", "::1")]
    [InlineData("127.0.0.1:9000", "127.0.0.1")]
    [InlineData("rtmp://h/live/s", "h")]
    [InlineData("http://${host}:80/", null)]
    [InlineData("http://", null)]
    public void The_host_is_read_from_every_url_form_and_a_reference_is_left_to_connect_time(string url, string? host) =>
        Assert.Equal(host, CardTarget.HostOf(url));
}
