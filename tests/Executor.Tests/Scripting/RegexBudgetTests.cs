using System.Text.RegularExpressions;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Debugging;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

/// <summary>
/// Catastrophic patterns on a body made to trigger them: a pattern the non-backtracking engine takes just
/// answers; any other stops at its match timeout, and the check fails with a message naming the regex timeout.
/// The outcomes are asserted, not the time.
/// </summary>
public sealed class RegexBudgetTests
{
    private static readonly string Body = new string('a', 40) + "b";

    private static ResponseRules Check(string pattern)
    {
        var rules = new ResponseRules();
        rules.Add(TestPlans.Checkpoint($$"""{"checks":[{"source":"body","operator":"matches","value":{{System.Text.Json.JsonSerializer.Serialize(pattern)}}}]}"""));
        return rules;
    }

    private static (RequestResult Result, DebugExchange Exchange) Apply(ResponseRules rules, params (string, string)[] headers)
    {
        var log = new DebugLog([new MetricKey { Key = 0, Kind = MetricKeyKind.Request, Method = "GET", Url = "http://127.0.0.1/", Protocol = "HTTP" }]);
        var result = rules.Apply(new RequestResult(Outcome.Success, 200, 1, 1), Responses.Capture(body: Body, headers: headers),
            new VariableScope(null), log);
        log.Record(0, 1000, result.Outcome, 200);
        return (result, log.Exchanges.Single());
    }

    [Fact]
    public void A_nested_quantifier_runs_without_backtracking_and_simply_does_not_match()
    {
        Assert.True((ScriptRegex.Create("(a+)+$", "p").Options & RegexOptions.NonBacktracking) != 0);
        var (result, exchange) = Apply(Check("(a+)+$"));
        Assert.Equal(Outcome.CheckpointFailed, result.Outcome);
        Assert.DoesNotContain("regex timeout", exchange.ErrorReason, StringComparison.Ordinal);
        Assert.Equal(Outcome.Success, Apply(Check("(a+)+b$")).Result.Outcome);
    }

    [Fact]
    public void A_pattern_that_needs_backtracking_stops_at_its_timeout_and_the_check_fails_naming_it()
    {
        const string pattern = @"^(?=(a+)+$)";
        Assert.Equal(RegexOptions.None, ScriptRegex.Create(pattern, "p").Options & RegexOptions.NonBacktracking);
        var (result, exchange) = Apply(Check(pattern));
        Assert.Equal(Outcome.CheckpointFailed, result.Outcome);
        Assert.Contains("regex timeout", exchange.ErrorReason, StringComparison.Ordinal);
        Assert.Contains(pattern, exchange.ErrorReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extraction_whose_regex_times_out_fails_naming_it()
    {
        var rules = new ResponseRules();
        rules.AddRange(TestPlans.Extractions("""{"extractions":[{"name":"x","source":"body","expression":"^(?=(a+)+$)(a)"}]}"""));
        var (result, exchange) = Apply(rules);
        Assert.Equal(Outcome.ParseFailed, result.Outcome);
        Assert.Contains("extraction x", exchange.ErrorReason, StringComparison.Ordinal);
        Assert.Contains("regex timeout", exchange.ErrorReason, StringComparison.Ordinal);
    }
}
