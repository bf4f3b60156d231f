namespace PerfTest.Executor.Scripting.Variables;

/// <summary>variable_type of the API (4.4); 4 is not a type the API defines.</summary>
public enum VariableType
{
    IntegerRange = 1,
    Enumeration = 2,
    File = 3,
    Text = 5,
}

/// <summary>variable_mode of the API: the order in which draws take values.</summary>
public enum VariableMode
{
    Sequential = 0,
    Random = 1,
}

/// <summary>share_mode of the API: who shares one cursor.</summary>
public enum ShareMode
{
    /// <summary>0: each case run has its own cursor, shared by that case's VUs.</summary>
    Case = 0,

    /// <summary>1: one cursor for all VUs of all cases of the run on this executor.</summary>
    Concurrent = 1,
}
