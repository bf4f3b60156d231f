using System.Text.Json.Nodes;
using PerfTest.Executor.Scripting.Checks;
using PerfTest.Executor.Scripting.Extraction;
using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

public sealed class ResponseRulesTests
{
    private static ResponseRules Rules(string? check, string? extraction)
    {
        var rules = new ResponseRules();
        if (check is not null)
        {
            rules.Add(TestPlans.Checkpoint($$"""{"checks":[{{check}}]}"""));
        }
        if (extraction is not null)
        {
            rules.AddRange(TestPlans.Extractions($$"""{"extractions":[{{extraction}}]}"""));
        }
        return rules;
    }

    private const string Passing = """{"source":"status","operator":"equals","value":"200"}""";
    private const string Failing = """{"source":"status","operator":"equals","value":"201"}""";
    private const string Found = """{"name":"id","source":"json_path","expression":"$.data.items[0].id"}""";
    private const string Missing = """{"name":"id","source":"json_path","expression":"$.nope"}""";

    [Theory]
    [InlineData(Passing, Found, Outcome.Success, Outcome.Success)]
    [InlineData(Failing, Found, Outcome.Success, Outcome.CheckpointFailed)]
    [InlineData(Passing, Missing, Outcome.Success, Outcome.ParseFailed)]
    [InlineData(Failing, Missing, Outcome.Success, Outcome.CheckpointFailed)]
    [InlineData(Passing, Found, Outcome.CheckpointFailed, Outcome.CheckpointFailed)]
    [InlineData(Passing, Missing, Outcome.Timeout, Outcome.Timeout)]
    public void A_failed_checkpoint_or_extraction_changes_the_outcome(string check, string extraction, Outcome before, Outcome after)
    {
        var result = new RequestResult(before, 200, 10, 20);
        var applied = Rules(check, extraction).Apply(result, Responses.Capture(), new VariableScope(null));
        Assert.Equal(result with { Outcome = after }, applied);
    }

    [Fact]
    public void Extracted_values_go_into_the_variables_and_a_response_that_never_came_extracts_nothing()
    {
        var rules = Rules(null, Found);
        var variables = new VariableScope(null);
        rules.Apply(new RequestResult(Outcome.Refused, 0, 0, 0), Responses.Capture(), variables);
        Assert.False(variables.TryGetExtracted("id", out _));
        rules.Apply(new RequestResult(Outcome.Success, 200, 1, 1), Responses.Capture(), variables);
        Assert.True(variables.TryGetExtracted("id", out var id));
        Assert.Equal("42", id);
    }
}
