using PerfTest.Cli.Apply;
using Xunit;

namespace PerfTest.Cli.Tests;

/// <summary>How the apply file's YAML becomes the API's JSON.</summary>
public sealed class YamlJsonTests
{
    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_strings()
    {
        var node = YamlJson.Parse("""
            a: 3
            b: 1.5
            c: true
            d: ~
            e: "3"
            f: 'true'
            g: text, with comma
            h: [1, two]
            """)!;
        Assert.Equal("""{"a":3,"b":1.5,"c":true,"d":null,"e":"3","f":"true","g":"text, with comma","h":[1,"two"]}""", node.ToJsonString());
    }

    [Fact]
    public void JSON_is_read_as_YAML()
    {
        var node = YamlJson.Parse("""{ "project": { "name": "p", "n": 5 }, "list": [ { "x": "y" } ] }""")!;
        Assert.Equal("""{"project":{"name":"p","n":5},"list":[{"x":"y"}]}""", node.ToJsonString());
    }

    [Fact]
    public void Requests_become_packet_cards_of_one_contents_block()
    {
        var file = TestFile.Parse("""
            project: { name: p }
            tasks:
              - name: t
                cases:
                  - name: c
                    requests:
                      - { name: r, method: POST, url: "https://h/x", headers: { A: b }, body: "{}", checkpoints: [] }
            """);
        var card = file.Tasks[0].Cases[0]["contents"]![0]!["content"]![0]!;
        Assert.Equal(2, card["content_type"]!.GetValue<int>());
        Assert.Equal("""{"name":"r","method":"POST","url":"https://h/x","protocol_type":2,"connect_timeout":5000,"return_timeout":5000,"headers":[{"key":"A","value":"b"}],"body_type":0,"bodys":["{}"],"checkpoints":[]}""",
            card["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("tasks: []", "no project")]
    [InlineData("project: { description: x }", "has no name")]
    [InlineData("project: { name: p }\ntasks: [ { name: t }, { name: t } ]", "declared twice")]
    [InlineData("project: [", "not valid YAML")]
    [InlineData("project: { name: p }\ntasks: [ { name: t, cases: [ { name: c, requests: [], contents: [] } ] } ]", "not both")]
    public void Bad_files_are_usage_errors_naming_the_problem(string text, string message)
    {
        var e = Assert.Throws<CliException>(() => TestFile.Parse(text));
        Assert.Equal(ExitCodes.Usage, e.Code);
        Assert.Contains(message, e.Message);
    }
}
