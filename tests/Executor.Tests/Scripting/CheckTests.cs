using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Checks;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

public sealed class CheckTests
{
    private static Checkpoint Parse(string json) => TestPlans.Checkpoint(json);

    private static bool Passes(string source, string key, string op, string? value)
    {
        var check = new JsonObject { ["source"] = source, ["key"] = key, ["operator"] = op, ["value"] = value };
        using var view = Responses.View();
        return Parse(new JsonObject { ["checks"] = new JsonArray(check) }.ToJsonString()).Passes(view);
    }

    [Theory]
    [InlineData("status", "", "equals", "200", true)]
    [InlineData("status", "", "not_equals", "200", false)]
    [InlineData("status", "", "less", "300", true)]
    [InlineData("status", "", "less_or_equal", "199", false)]
    [InlineData("status", "", "greater", "200", false)]
    [InlineData("status", "", "greater_or_equal", "200", true)]
    [InlineData("status", "", "exists", null, true)]
    [InlineData("body", "", "contains", "\"first\"", true)]
    [InlineData("body", "", "not_contains", "second", true)]
    [InlineData("body", "", "not_contains", "first", false)]
    [InlineData("body", "", "matches", "\"id\":\\d+", true)]
    [InlineData("body", "", "matches", "^x", false)]
    [InlineData("body", "", "equals", Responses.Json, true)]
    [InlineData("body", "", "greater", "1", false)]
    [InlineData("header", "x-token", "equals", "abc123", true)]
    [InlineData("header", "X-Token", "contains", "123", true)]
    [InlineData("header", "X-Token", "not_equals", "abc", true)]
    [InlineData("header", "X-Missing", "exists", null, false)]
    [InlineData("header", "X-Missing", "not_exists", null, true)]
    [InlineData("header", "X-Missing", "not_equals", "a", false)]
    [InlineData("json_path", "$.data.items[0].id", "equals", "42", true)]
    [InlineData("json_path", "$.data.items[0].id", "greater", "41.5", true)]
    [InlineData("json_path", "$.data.items[0].id", "less", "42", false)]
    [InlineData("json_path", "$.data.items[0].name", "less", "5", false)]
    [InlineData("json_path", "$.data.items[0].name", "equals", "first", true)]
    [InlineData("json_path", "$.n", "greater_or_equal", "7.5", true)]
    [InlineData("json_path", "$['data'][\"ok\"]", "equals", "true", true)]
    [InlineData("json_path", "$.data.none", "equals", "null", true)]
    [InlineData("json_path", "$.data.items[1]", "exists", null, false)]
    [InlineData("json_path", "$.data.items[0]", "exists", null, true)]
    [InlineData("json_path", "$.data.items[0]", "not_exists", null, false)]
    [InlineData("json_path", "$.data.items.x", "not_exists", null, true)]
    public void Each_operator_and_source(string source, string key, string op, string? value, bool expected) =>
        Assert.Equal(expected, Passes(source, key, op, value));

    [Fact]
    public void A_json_path_on_a_body_that_is_not_json_finds_nothing()
    {
        using var view = Responses.View(body: "not json");
        Assert.False(Parse("""{"checks":[{"source":"json_path","key":"$.a","operator":"exists"}]}""").Passes(view));
        Assert.True(Parse("""{"checks":[{"source":"json_path","key":"$.a","operator":"not_exists"}]}""").Passes(view));
    }

    [Theory]
    [InlineData("and", false)]
    [InlineData("or", true)]
    public void Logic_and_needs_every_check_and_or_needs_one(string logic, bool expected)
    {
        using var view = Responses.View();
        var checkpoint = Parse($$"""{"logic":"{{logic}}","checks":[{"source":"status","operator":"equals","value":"500"},{"source":"status","operator":"equals","value":200}]}""");
        Assert.Equal(expected, checkpoint.Passes(view));
    }

    [Fact]
    public void Logic_defaults_to_and_and_unknown_fields_are_ignored()
    {
        var checkpoint = Parse("""{"extra":1,"checks":[{"source":"status","operator":"exists","comment":"x"}]}""");
        Assert.False(checkpoint.Any);
        Assert.Equal(Contract.CompareOperator.Exists, Assert.Single(checkpoint.Checks).Operator);
    }

    [Theory]
    [InlineData("""{"checks":[{"source":"status","operator":"foo","value":"1"}]}""", "c.checks[0].operator 'foo' is not one of equals, not_equals")]
    [InlineData("""{"checks":[{"source":"cookie","operator":"exists"}]}""", "c.checks[0].source 'cookie' is not one of status, body, header, json_path")]
    [InlineData("""{"checks":[{"source":"header","operator":"exists"}]}""", "c.checks[0].key is required for source header")]
    [InlineData("""{"checks":[{"source":"json_path","key":"data.x","operator":"exists"}]}""", "c.checks[0].key 'data.x' does not start with $")]
    [InlineData("""{"checks":[{"source":"json_path","key":"$.a[x]","operator":"exists"}]}""", "c.checks[0].key '$.a[x]'")]
    [InlineData("""{"checks":[{"source":"status","operator":"equals"}]}""", "c.checks[0].value is required for operator equals")]
    [InlineData("""{"checks":[{"source":"status","operator":"less","value":"abc"}]}""", "c.checks[0].value 'abc' is not a number")]
    [InlineData("""{"checks":[{"source":"body","operator":"matches","value":"(a"}]}""", "c.checks[0].value '(a' is not a valid regular expression")]
    [InlineData("""{"checks":[{"source":"status","operator":"exists"}, 3]}""", "c.checks[1] is not an object")]
    [InlineData("""{"checks":[]}""", "c.checks is required")]
    [InlineData("""{"logic":"xor","checks":[{"source":"status","operator":"exists"}]}""", "c.logic 'xor' is not one of and, or")]
    public void Bad_checkpoints_are_refused_naming_the_field(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<PerfTest.Executor.Scripting.ScriptException>(() => Parse(json)).Message);
}
