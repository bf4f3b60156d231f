namespace PerfTest.Executor.Scripting.Checks;

/// <summary>How a check compares the response's value with its own (script names in snake_case).</summary>
public enum CheckOperator
{
    Equals,
    NotEquals,
    Contains,
    NotContains,

    /// <summary>The value is a .NET regular expression that must match somewhere in the response's value.</summary>
    Matches,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Exists,
    NotExists,
}
