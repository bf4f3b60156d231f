using System.Text;
using MQTTnet.Protocol;

namespace PerfTest.Protocols.Mqtt;

/// <summary>
/// MQTT 3.1.1 packet sizes computed from the fields, so byte counts cost nothing per exchange
/// (MQTTnet's packet inspector would copy every packet). TLS framing and TCP are not counted.
/// </summary>
internal static class MqttPacketSize
{
    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: fixed header (2) + packet identifier (2).</summary>
    public const int Ack = 4;

    /// <summary>CONNACK: fixed header (2) + flags (1) + return code (1).</summary>
    public const int ConnAck = 4;

    /// <summary>PINGREQ/PINGRESP and DISCONNECT are 2 bytes; keep-alive traffic is not counted.</summary>
    public static int Publish(int topicBytes, long payloadBytes, MqttQualityOfServiceLevel qos)
    {
        var remaining = 2 + topicBytes + (qos == MqttQualityOfServiceLevel.AtMostOnce ? 0 : 2) + payloadBytes;
        return (int)(1 + LengthBytes(remaining) + remaining);
    }

    /// <summary>Variable header (protocol name 6, level 1, flags 1, keep-alive 2) + length-prefixed strings.</summary>
    public static int Connect(MqttSessionOptions o)
    {
        var remaining = 10 + 2 + Encoding.UTF8.GetByteCount(o.ClientId);
        if (o.Username != null) remaining += 2 + Encoding.UTF8.GetByteCount(o.Username);
        if (o.Password != null) remaining += 2 + Encoding.UTF8.GetByteCount(o.Password);
        return 1 + LengthBytes(remaining) + remaining;
    }

    /// <summary>SUBSCRIBE with one filter: packet identifier (2) + filter string + requested QoS (1).</summary>
    public static int Subscribe(string filter)
    {
        var remaining = 2 + 2 + Encoding.UTF8.GetByteCount(filter) + 1;
        return 1 + LengthBytes(remaining) + remaining;
    }

    /// <summary>SUBACK for one filter: fixed header (2) + packet identifier (2) + return code (1).</summary>
    public const int SubAck = 5;

    /// <summary>The bytes the client sends to acknowledge a received PUBLISH (PUBACK, or PUBREC + PUBCOMP).</summary>
    public static int AcksSentForReceived(MqttQualityOfServiceLevel qos) => qos switch
    {
        MqttQualityOfServiceLevel.AtLeastOnce => Ack,
        MqttQualityOfServiceLevel.ExactlyOnce => 2 * Ack,
        _ => 0,
    };

    /// <summary>The remaining-length field is a base-128 varint of 1 to 4 bytes.</summary>
    private static int LengthBytes(long remaining) =>
        remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
}
