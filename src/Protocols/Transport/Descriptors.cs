namespace PerfTest.Protocols.Transport;

/// <summary>The process's file descriptors as the load connections meet them.</summary>
public static class Descriptors
{
    /// <summary>
    /// Raised when a connection failed because the process ran out of file descriptors (EMFILE): the open files limit
    /// (ulimit -n), not the target, capped the connections. The executor logs it.
    /// </summary>
    public static event Action? Exhausted;

    internal static void OnExhausted() => Exhausted?.Invoke();
}
