using PerfTest.Executor.Planning;
using PerfTest.Executor.Scripting.Variables;
using Xunit;
using static PerfTest.Executor.Tests.Variables.VariableTestJson;

namespace PerfTest.Executor.Tests.Variables;

public sealed class VariableTypeTests
{
    [Fact]
    public void An_integer_range_gives_every_integer_from_min_to_max_in_order_then_wraps()
    {
        var vars = Parse($"[{One("n", 1, "[-2, 2]")}]");
        Assert.Equal(["-2", "-1", "0", "1", "2", "-2", "-1"], Draw(vars, "n", 7));
    }

    [Fact]
    public void An_integer_range_may_be_given_as_integer_strings()
    {
        var vars = Parse($"""[{One("n", 1, """["1", "3"]""")}]""");
        Assert.Equal(["1", "2", "3", "1"], Draw(vars, "n", 4));
    }

    [Fact]
    public void An_integer_range_of_one_value_always_gives_it()
    {
        var vars = Parse($"[{One("n", 1, "[7, 7]")}]");
        Assert.Equal(["7", "7", "7"], Draw(vars, "n", 3));
    }

    [Fact]
    public void A_huge_integer_range_is_not_materialised()
    {
        var vars = Parse($"[{One("n", 1, "[-4611686018427387904, 4611686018427387902]")}]");
        Assert.Equal(["-4611686018427387904", "-4611686018427387903"], Draw(vars, "n", 2));
    }

    [Fact]
    public void An_enumeration_gives_its_values_in_order_with_numbers_and_booleans_as_their_json_text()
    {
        var vars = Parse($"""[{One("e", 2, """["a", 1.50, true, "x,y"]""")}]""");
        Assert.Equal(["a", "1.50", "true", "x,y", "a"], Draw(vars, "e", 5));
    }

    [Fact]
    public void A_file_variable_gives_whole_rows_whether_strings_or_arrays_of_columns()
    {
        var vars = Parse($"""[{One("f", 3, """["u1,p1", ["u2", "p2", 3], "u3"]""")}]""");
        Assert.Equal(["u1,p1", "u2,p2,3", "u3", "u1,p1"], Draw(vars, "f", 4));
    }

    [Fact]
    public void A_text_variable_always_gives_its_one_value()
    {
        var vars = Parse($"""[{One("t", 5, """["hello world"]""", mode: 1)}]""");
        Assert.All(Draw(vars, "t", 5), v => Assert.Equal("hello world", v));
    }

    [Fact]
    public void Random_mode_stays_within_the_values()
    {
        var vars = Parse($"""[{One("r", 1, "[10, 14]", mode: 1)}, {One("e", 2, """["a", "b", "c"]""", mode: 1)}]""");
        var ints = Draw(vars, "r", 500);
        Assert.All(ints, v => Assert.InRange(int.Parse(v, System.Globalization.CultureInfo.InvariantCulture), 10, 14));
        Assert.All(Draw(vars, "e", 500), v => Assert.Contains(v, new[] { "a", "b", "c" }));
        // 500 uniform draws over 5 values miss one with probability about 5 * 0.8^500, i.e. never.
        Assert.Equal(5, ints.Distinct().Count());
    }

    [Fact]
    public void Names_are_case_sensitive_and_unknown_names_are_refused()
    {
        var vars = Parse($"""[{One("user", 5, """["u"]""")}]""");
        Assert.True(vars.Contains("user"));
        Assert.False(vars.Contains("User"));
        var e = Assert.Throws<KeyNotFoundException>(() => vars.Next("User"));
        Assert.Contains("'User'", e.Message, StringComparison.Ordinal);
        Assert.False(GlobalVariables.Empty.Contains("user"));
    }

    [Fact]
    public void Missing_modes_default_to_sequential_case_mode()
    {
        var registry = new VariableCursorRegistry();
        var vars = GlobalVariables.From(VariableReader.ReadAll(Array("""[ { "name": "n", "variable_type": 1, "variable": [1, 3] } ]""")), 0, 1, registry);
        Assert.Equal(["1", "2", "3", "1"], Draw(vars, "n", 4));
        Assert.Equal(0, registry.Count);
    }
}
