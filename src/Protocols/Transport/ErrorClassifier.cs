using System.Net.Sockets;

namespace PerfTest.Protocols.Transport;

/// <summary>Maps socket failures to the outcome the report counts (HTTP, TCP and UDP alike).</summary>
internal static class ErrorClassifier
{
    /// <param name="error">What DNS, connect or the TLS handshake threw.</param>
    /// <param name="timedOut">The connect timer fired (cancellation surfaces as several exception types).</param>
    public static Outcome ClassifyConnectFailure(Exception error, bool timedOut)
    {
        if (timedOut)
        {
            return Outcome.Timeout;
        }

        return SocketErrorOf(error) switch
        {
            SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted => Outcome.Refused,
            SocketError.TimedOut => Outcome.Timeout,
            // DNS (HostNotFound, TryAgain, NoData), unreachable networks, and TLS failures
            // (AuthenticationException: untrusted certificate, protocol mismatch...).
            _ => Outcome.Other,
        };
    }

    /// <summary>
    /// The peer refused or reset an open exchange: a TCP RST (ECONNRESET, EPIPE) or, on a connected UDP
    /// socket, the ICMP port unreachable the kernel reports as ECONNREFUSED on the next receive.
    /// </summary>
    public static bool IsRefusedOrReset(Exception error) => SocketErrorOf(error) is
        SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    // NetworkStream, EpollSocket and SslStream wrap the socket error in an IOException.
    private static SocketError? SocketErrorOf(Exception error) =>
        (error as SocketException ?? error.InnerException as SocketException)?.SocketErrorCode;
}
