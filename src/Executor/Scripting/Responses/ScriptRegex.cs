using System.Text.RegularExpressions;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>Regular expressions of checks and extractions: compiled once, with a match timeout (a timeout fails the check or extraction).</summary>
public static class ScriptRegex
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The regex of a field, or a ScriptException naming it.</summary>
    public static Regex Create(string? pattern, string path)
    {
        if (pattern is null)
        {
            throw new ScriptException($"{path} is required");
        }
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ScriptException($"{path} '{pattern}' is not a valid regular expression: {e.Message}");
        }
    }
}
