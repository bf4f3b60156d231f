namespace PerfTest.Executor.Scripting.Variables;

/// <summary>A global variable definition the executor cannot draw from; the message names the field by its path,
/// e.g. <c>variables[2].variable</c>.</summary>
public sealed class VariableDefinitionException(string message) : ArgumentException(message);
