using System.Diagnostics;
using PerfTest.Executor.Contract;
using PerfTest.Protocols;
using PerfTest.Executor.Scripting.Templating;
using PerfTest.Protocols.Mqtt;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// content_type 2 with protocol_type 11: one MQTT exchange on the VU's own session (connected on first use, kept
/// across iterations, reconnected after a drop): publish until acknowledged, wait for the next message on a
/// subscription, or publish and wait for the answer (docs/protocols-mqtt.md). Timed like an HTTP packet.
/// </summary>
public sealed class MqttPacketCard(int key, string name, int slot, MqttSessionOptions options, MqttAction action,
    TemplatedMessage<MqttPublish>? publish, string? topicFilter, int qos) : IPacketCard
{
    private static readonly string ProcessPrefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
    private static long _sessions;

    public int Key { get; } = key;

    public string Name { get; } = name;

    public MqttAction Action { get; } = action;

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var session = vu.Client<MqttSession>(slot) ?? vu.SetClient(slot, new MqttSession(SessionOptions()));
        var start = vu.TakeStart();
        var message = publish?.Render(vu.Variables);
        if (publish is not null && message is null)
        {
            vu.RecordUnsendable(Key);
            return;
        }
        RequestResult result;
        try
        {
            // MQTTnet takes a token anyway, so the VU's abort token ends an exchange in flight here.
            result = Action switch
            {
                MqttAction.Publish => await session.PublishAsync(message!, vu.Abort),
                MqttAction.Subscribe => await session.SubscribeAndWaitAsync(topicFilter!, qos, vu.Abort),
                _ => await session.PublishAndWaitAsync(message!, topicFilter!, vu.Abort),
            };
        }
        catch (OperationCanceledException) when (vu.Abort.IsCancellationRequested)
        {
            return;  // aborted mid-exchange: not an outcome of the target
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        vu.Record(Key, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds, result);
    }

    /// <summary>
    /// A broker allows one connection per client id: with none on the card, each VU gets its own, unique across
    /// executors too (a random prefix per process: executors in containers all run as process 1), and at most 23
    /// characters, the length every MQTT 3.1.1 server must accept.
    /// </summary>
    private MqttSessionOptions SessionOptions() => options.ClientId.Length > 0 ? options
        : options with { ClientId = $"pt{ProcessPrefix}-{Interlocked.Increment(ref _sessions):x}" };
}
