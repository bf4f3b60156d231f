using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace PerfTest.Protocols.Mqtt;

/// <summary>
/// One publish card (topic, qos, payload, retain), encoded once and shared by every VU: the same
/// <see cref="MqttApplicationMessage"/> is handed to MQTTnet on every publish, which only reads it.
/// </summary>
public sealed class MqttPublish
{
    private MqttPublish(MqttApplicationMessage message, int packetSize)
    {
        Message = message;
        PacketSize = packetSize;
    }

    internal MqttApplicationMessage Message { get; }

    /// <summary>The size of the PUBLISH packet on the wire (MQTT 3.1.1), see <see cref="MqttPacketSize"/>.</summary>
    public int PacketSize { get; }

    public string Topic => Message.Topic;
    public MqttQualityOfServiceLevel Qos => Message.QualityOfServiceLevel;

    /// <summary>Throws <see cref="ArgumentException"/> for an empty topic, a wildcard in the topic, or qos outside 0..2.</summary>
    public static MqttPublish Create(string topic, int qos, string? payload, bool retain = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"a publish topic cannot hold the wildcards + or #: {topic}", nameof(topic));
        }
        var level = ToQos(qos);
        var bytes = Encoding.UTF8.GetBytes(payload ?? "");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(bytes)
            .WithQualityOfServiceLevel(level)
            .WithRetainFlag(retain)
            .Build();
        return new MqttPublish(message, MqttPacketSize.Publish(Encoding.UTF8.GetByteCount(topic), bytes.Length, level));
    }

    internal static MqttQualityOfServiceLevel ToQos(int qos) => qos switch
    {
        0 => MqttQualityOfServiceLevel.AtMostOnce,
        1 => MqttQualityOfServiceLevel.AtLeastOnce,
        2 => MqttQualityOfServiceLevel.ExactlyOnce,
        _ => throw new ArgumentOutOfRangeException(nameof(qos), qos, "qos must be 0, 1 or 2"),
    };
}
