using System.Text.RegularExpressions;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>
/// Regular expressions of checks and extractions, compiled once with a budget: a pattern the non-backtracking
/// engine takes (no backreferences, lookarounds, atomic groups or conditionals) runs in time linear in the input,
/// so no pattern or body can make it hang; any other runs on the backtracking engine with a match timeout, and a
/// timeout fails its check or extraction (<see cref="ResponseRules"/>).
/// </summary>
public static class ScriptRegex
{
    /// <summary>The budget of one evaluation of a pattern the non-backtracking engine cannot run.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The regex of a field, or a ScriptException naming it.</summary>
    public static Regex Create(string? pattern, string path)
    {
        if (pattern is null)
        {
            throw new ScriptException($"{path} is required");
        }
        try
        {
            return NonBacktracking(pattern) ?? new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ScriptException($"{path} '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>The non-backtracking form, or null when the pattern uses a construct that needs backtracking.</summary>
    private static Regex? NonBacktracking(string pattern)
    {
        try
        {
            // No timeout: its time is linear in the input already, and its first matches build its automaton,
            // which on a busy machine could outlast a budget meant for backtracking.
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
