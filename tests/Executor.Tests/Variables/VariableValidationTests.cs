using PerfTest.Executor.Scripting.Variables;
using Xunit;
using static PerfTest.Executor.Tests.Variables.VariableTestJson;

namespace PerfTest.Executor.Tests.Variables;

public sealed class VariableValidationTests
{
    private const string Ok = """{ "name": "ok", "variable_type": 5, "variable": ["x"] }""";

    [Theory]
    [InlineData("""{ "name": "n", "variable_type": 1, "variable": [5, 1] }""", "variables[2].variable: an integer range needs two integers, min <= max, not [5,1]")]
    [InlineData("""{ "name": "n", "variable_type": 1, "variable": [1] }""", "variables[2].variable: an integer range needs two integers")]
    [InlineData("""{ "name": "n", "variable_type": 1, "variable": [1, 2.5] }""", "variables[2].variable: an integer range needs two integers")]
    [InlineData("""{ "name": "n", "variable_type": 1, "variable": ["a", "b"] }""", "variables[2].variable: an integer range needs two integers")]
    [InlineData("""{ "name": "n", "variable_type": 1, "variable": [-9223372036854775808, 9223372036854775807] }""", "variables[2].variable: the integer range")]
    [InlineData("""{ "name": "n", "variable_type": 4, "variable": [] }""", "variables[2].variable_type: 4 is unknown; it must be one of 1 (IntegerRange), 2 (Enumeration), 3 (File), 5 (Text)")]
    [InlineData("""{ "name": "n", "variable_type": "2", "variable": ["a"] }""", "variables[2].variable_type: \"2\" is unknown")]
    [InlineData("""{ "name": "n", "variable": ["a"] }""", "variables[2].variable_type: missing")]
    [InlineData("""{ "name": "n", "variable_type": 2, "variable": [] }""", "variables[2].variable: needs at least one value")]
    [InlineData("""{ "name": "n", "variable_type": 2, "variable": ["a", null] }""", "variables[2].variable[1]: a value must be a string, number or boolean, not null")]
    [InlineData("""{ "name": "n", "variable_type": 2, "variable": [["a"]] }""", "variables[2].variable[0]: a value must be a string, number or boolean, not array")]
    [InlineData("""{ "name": "n", "variable_type": 3, "variable": [[]] }""", "variables[2].variable[0]: a row needs at least one column")]
    [InlineData("""{ "name": "n", "variable_type": 3, "variable": [["a", {}]] }""", "variables[2].variable[0][1]: a value must be")]
    [InlineData("""{ "name": "n", "variable_type": 5, "variable": ["a", "b"] }""", "variables[2].variable: a text variable needs exactly one value, not 2")]
    [InlineData("""{ "name": "n", "variable_type": 5, "variable": "a" }""", "variables[2].variable: the values must be an array, not string")]
    [InlineData("""{ "name": "n", "variable_type": 5 }""", "variables[2].variable: the values must be an array, not null")]
    [InlineData("""{ "name": "n", "variable_type": 5, "variable": ["a"], "variable_mode": 2 }""", "variables[2].variable_mode: 2 is unknown; it must be one of 0 (Sequential), 1 (Random)")]
    [InlineData("""{ "name": "n", "variable_type": 5, "variable": ["a"], "share_mode": -1 }""", "variables[2].share_mode: -1 is unknown; it must be one of 0 (Case), 1 (Concurrent)")]
    [InlineData("""{ "name": "", "variable_type": 5, "variable": ["a"] }""", "variables[2].name: a variable needs a non-empty string name")]
    [InlineData("""{ "variable_type": 5, "variable": ["a"] }""", "variables[2].name")]
    [InlineData("""{ "name": "ok", "variable_type": 5, "variable": ["a"] }""", "variables[2].name: 'ok' is given more than once")]
    [InlineData("""[]""", "variables[2]: a variable must be an object, not array")]
    public void Bad_definitions_are_refused_naming_the_field(string variable, string expected)
    {
        var e = Assert.Throws<VariableDefinitionException>(() => Parse($"[{Ok}, {One("other", 2, "[\"a\"]")}, {variable}]"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void Executor_index_must_lie_within_the_executor_count(int index, int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Parse($"[{Ok}]", index, count));
}
