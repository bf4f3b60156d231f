using PerfTest.Executor.Scripting.Responses;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// A packet card whose answers the checkpoint and extraction cards after it read: HTTP, TCP, UDP, WebSocket.
/// The compiler folds those cards into its <see cref="Rules"/>.
/// </summary>
public interface IAnsweredCard : IPacketCard
{
    ResponseRules Rules { get; }

    /// <summary>Whether its answers have a status and headers (HTTP) or only a body (TCP, UDP, WebSocket).</summary>
    bool HasHttpHead { get; }
}
