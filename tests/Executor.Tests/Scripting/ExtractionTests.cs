using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting;
using PerfTest.Executor.Scripting.Extraction;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

public sealed class ExtractionTests
{
    private static Extractor Parse(string extraction) =>
        Assert.Single(TestPlans.Extractions($$"""{"extractions":[{{extraction}}]}"""));

    private static string? Extract(string extraction, string body = Responses.Json)
    {
        using var view = Responses.View(body: body);
        return Parse(extraction).Extract(view);
    }

    [Theory]
    [InlineData("""{"name":"v","source":"body","expression":"\"name\":\"(\\w+)\""}""", "first")]
    [InlineData("""{"name":"v","source":"body","expression":"\"id\":\\d+"}""", "\"id\":42")]
    [InlineData("""{"name":"v","source":"body","expression":"\"(id)\":(\\d+)","group":2}""", "42")]
    [InlineData("""{"name":"v","source":"body","expression":"\"(id)\":(\\d+)","group":0}""", "\"id\":42")]
    [InlineData("""{"name":"v","source":"body","expression":"nothing(\\d)","default":"dflt"}""", "dflt")]
    [InlineData("""{"name":"v","source":"body","expression":"nothing(\\d)"}""", null)]
    [InlineData("""{"name":"v","source":"header","expression":"x-token"}""", "abc123")]
    [InlineData("""{"name":"v","source":"header","expression":"X-None"}""", null)]
    [InlineData("""{"name":"v","source":"header","expression":"X-None","default":""}""", "")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$.data.items[0].id"}""", "42")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$.data.items[0].name"}""", "first")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$.data.items[0]"}""", """{"id":42,"name":"first"}""")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$.data.items[3]","default":"7"}""", "7")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$.data.items[3]"}""", null)]
    [InlineData("""{"name":"v","source":"status"}""", "200")]
    public void Each_source_with_groups_and_defaults(string extraction, string? expected) => Assert.Equal(expected, Extract(extraction));

    [Fact]
    public void A_json_path_on_a_body_that_is_not_json_takes_the_default() =>
        Assert.Equal("d", Extract("""{"name":"v","source":"json_path","expression":"$.a","default":"d"}""", "<html/>"));

    [Fact]
    public void Unknown_fields_are_ignored() =>
        Assert.Equal("v", Parse("""{"name":"v","source":"status","note":"x"}""").Name);

    [Theory]
    [InlineData("""{"name":"a b","source":"body","expression":"x"}""", "e.extractions[0].name 'a b' is not a variable name")]
    [InlineData("""{"source":"body","expression":"x"}""", "e.extractions[0].name '' is not a variable name")]
    [InlineData("""{"name":"v","source":"cookie"}""", "e.extractions[0].source 'cookie' is not one of body, header, json_path, status")]
    [InlineData("""{"name":"v","source":"body"}""", "e.extractions[0].expression is required")]
    [InlineData("""{"name":"v","source":"body","expression":"[a"}""", "e.extractions[0].expression '[a' is not a valid regular expression")]
    [InlineData("""{"name":"v","source":"body","expression":"(a)","group":2}""", "e.extractions[0].group 2 is not a group of expression '(a)'")]
    [InlineData("""{"name":"v","source":"header"}""", "e.extractions[0].expression is required for source header")]
    [InlineData("""{"name":"v","source":"json_path","expression":"$..a"}""", "e.extractions[0].expression '$..a' has an empty name")]
    public void Bad_extractions_are_refused_naming_the_field(string extraction, string expected) =>
        Assert.Contains(expected, Assert.Throws<ScriptException>(() => Parse(extraction)).Message);

    [Fact]
    public void An_empty_list_is_refused() =>
        Assert.Contains("e.extractions is required", Assert.Throws<ScriptException>(() =>
            TestPlans.Extractions("""{"extractions":[]}""")).Message);
}
