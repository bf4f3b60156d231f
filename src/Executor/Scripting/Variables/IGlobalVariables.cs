namespace PerfTest.Executor.Scripting.Variables;
/// <summary>The case's global variables (API "variables"), as a VU draws them.</summary>
public interface IGlobalVariables
{
    bool Contains(string name);
    /// <summary>The next value of the variable for this draw (thread-safe).</summary>
    string Next(string name);
}
