namespace PerfTest.Executor.Scripting.Variables;

/// <summary>Picks the position of a variable's next value. Implementations are lock-free and thread-safe because
/// every VU of a case (or, for share_mode 1, of the whole run) draws from the same cursor.</summary>
internal interface IVariableCursor
{
    long Next();
}
