using System.Net.Sockets;

namespace PerfTest.Protocols.Http;

/// <summary>Maps a failure to open a connection to the outcome the report counts.</summary>
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

        // SslStream wraps socket errors of the handshake in an IOException.
        SocketException? socket = error as SocketException ?? error.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted => Outcome.Refused,
            SocketError.TimedOut => Outcome.Timeout,
            // DNS (HostNotFound, TryAgain, NoData), unreachable networks, and TLS failures
            // (AuthenticationException: untrusted certificate, protocol mismatch...).
            _ => Outcome.Other,
        };
    }
}
