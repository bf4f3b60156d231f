namespace PerfTest.Executor.Scripting;

/// <summary>A case script that cannot run as written; the message names the card by its path.</summary>
public sealed class ScriptException(string message) : Exception(message);
