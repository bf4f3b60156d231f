namespace PerfTest.Protocols;

/// <summary>
/// A client whose exchange in flight can be ended from any thread. VUs send without a cancellation token
/// (a registration per message costs on the hot path); a stop aborts their clients instead.
/// </summary>
public interface IAbortable
{
    void Abort();
}
