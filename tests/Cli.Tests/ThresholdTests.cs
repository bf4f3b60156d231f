using System.Text.Json.Nodes;
using PerfTest.Cli.Runs;
using PerfTest.Cli.Thresholds;
using Xunit;

namespace PerfTest.Cli.Tests;

/// <summary>The threshold language on its own: parsing, operators, scopes.</summary>
public sealed class ThresholdTests
{
    private static readonly RunSummary Summary = new(7, 3, "smoke", RunSummary.Ended,
    [
        new CaseSummary("home", 40, 2, null,
            Figures(requests: 1000, errors: 2, tp99: 250),
            [Figures(requests: 600, errors: 0, tp99: 120, name: "login"), Figures(requests: 400, errors: 2, tp99: 320, name: "list:all")]),
        new CaseSummary("cart", 41, 2, null, Figures(requests: 10, errors: 0, tp99: 400), []),
    ]);

    private static JsonObject Figures(long requests, long errors, double tp99, string? name = null) => JsonNode.Parse($$"""
        { "name": {{(name is null ? "null" : $"\"{name}\"")}}, "requests": {{requests}}, "errorCount": {{errors}},
          "successCount": {{requests - errors}}, "successRate": {{Math.Round((requests - errors) * 100.0 / requests, 2)}},
          "tp99": {{tp99}}, "averageRespTime": 10.5, "tps": 100, "max": 900, "min": 0.4 }
        """)!.AsObject();

    [Theory]
    [InlineData("tp99<300", null, "tp99", "<", 300)]
    [InlineData(" success_rate >= 99.9 ", null, "success_rate", ">=", 99.9)]
    [InlineData("login:avg<=120", "login", "avg", "<=", 120)]
    [InlineData("list:all:errors==0", "list:all", "errors", "==", 0)]
    [InlineData("requests!=-1", null, "requests", "!=", -1)]
    public void Expressions_parse_into_request_metric_operator_and_limit(string text, string? request, string metric, string op, double limit)
    {
        var t = Threshold.Parse(text);
        Assert.Equal((request, metric, op, limit), (t.Request, t.Metric, t.Operator, t.Limit));
    }

    [Theory]
    [InlineData("tp99")]
    [InlineData("tp99 < fast")]
    [InlineData("p99<3")]
    [InlineData("tp99=<3")]
    public void Malformed_or_unknown_thresholds_are_usage_errors(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => Threshold.Parse(text)).Code);

    [Fact]
    public void Without_a_request_name_a_threshold_holds_for_every_case()
    {
        var results = ThresholdResult.Evaluate([Threshold.Parse("tp99<300")], Summary);
        Assert.Equal(["home", "cart"], results.Select(r => r.Scope));
        Assert.True(results[0].Passed);
        Assert.False(results[1].Passed);
        Assert.Equal("tp99 = 400, which is not < 300", results[1].Message);
    }

    [Fact]
    public void A_request_threshold_reads_that_request_and_an_unknown_request_breaks()
    {
        var results = ThresholdResult.Evaluate([Threshold.Parse("list:all:tp99<=320"), Threshold.Parse("login:error_rate==0"),
            Threshold.Parse("nope:requests>0")], Summary);
        Assert.Equal(["home/list:all", "home/login", "nope"], results.Select(r => r.Scope));
        Assert.Equal([true, true, false], results.Select(r => r.Passed));
        Assert.Equal("no request named \"nope\" in the run", results[2].Message);
    }

    [Fact]
    public void Error_rate_is_errors_over_requests_in_percent()
    {
        var r = Assert.Single(ThresholdResult.Evaluate([Threshold.Parse("error_rate<0.1")], Summary with { Cases = [Summary.Cases[0]] }));
        Assert.Equal(0.2, r.Value);
        Assert.False(r.Passed);
    }
}
