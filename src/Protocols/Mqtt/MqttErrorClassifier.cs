using System.Net.Sockets;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using PerfTest.Protocols.Targets;

namespace PerfTest.Protocols.Mqtt;

/// <summary>Maps what MQTTnet throws to an <see cref="Outcome"/>; see docs/protocols-mqtt.md for the table.</summary>
internal static class MqttErrorClassifier
{
    /// <param name="e">What MQTTnet threw.</param>
    /// <param name="connecting">True while TCP/TLS/CONNECT is under way: a close then means the broker refused us.</param>
    public static (Outcome Outcome, int StatusCode) Classify(Exception e, bool connecting)
    {
        if (Find<TargetRefusedException>(e) is not null)
        {
            return (Outcome.Other, 0);  // nothing was sent: not a refusal by the broker
        }
        if (e is MqttConnectingFailedException)
        {
            // The CONNECT/CONNACK handshake failed (a refusing CONNACK is a result, not this, in MQTTnet 5):
            // the cause (timeout, reset, close) decides.
            return e.InnerException is { } cause ? Classify(cause, connecting: true) : (Outcome.Refused, 0);
        }
        if (e is MqttCommunicationTimedOutException or OperationCanceledException or TimeoutException)
        {
            return (Outcome.Timeout, 0);
        }
        if (Find<System.Security.Authentication.AuthenticationException>(e) is not null)
        {
            return (Outcome.Other, 0);  // TLS failed (untrusted certificate...): not a refusal by the broker, as for HTTP
        }
        if (Find<SocketException>(e)?.SocketErrorCode is { } error)
        {
            return error switch
            {
                SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted
                    => (connecting ? Outcome.Refused : Outcome.Other, 0),
                SocketError.TimedOut => (Outcome.Timeout, 0),
                _ => (Outcome.Other, 0),
            };
        }
        return (connecting && IsConnectionLost(e) ? Outcome.Refused : Outcome.Other, 0);
    }

    /// <summary>The connection went away under us (as opposed to a timeout or a broker answer).</summary>
    public static bool IsConnectionLost(Exception? e) => e switch
    {
        null or MqttCommunicationTimedOutException => false,
        MqttClientNotConnectedException or MqttClientDisconnectedException or MqttCommunicationException
            or ObjectDisposedException or IOException or SocketException => true,
        _ => e.InnerException != null && IsConnectionLost(e.InnerException),
    };

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (var depth = 0; e != null && depth < 8; depth++, e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }
}
