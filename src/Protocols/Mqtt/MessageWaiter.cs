using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace PerfTest.Protocols.Mqtt;

/// <summary>
/// The one pending wait of a session for a message matching a topic filter. Messages arriving while nothing
/// waits (or not matching) are dropped: "subscribe" means "wait for the next message", not a mailbox.
/// </summary>
internal sealed class MessageWaiter
{
    private Pending? _pending;

    public Pending Start(string filter)
    {
        var pending = new Pending(filter);
        Volatile.Write(ref _pending, pending);
        return pending;
    }

    public void Stop() => Volatile.Write(ref _pending, null);

    /// <summary>Runs on MQTTnet's receive loop, so it only completes a task and never blocks.</summary>
    public Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var pending = Volatile.Read(ref _pending);
        var message = e.ApplicationMessage;
        if (pending != null
            && MqttTopicFilterComparer.Compare(message.Topic, pending.Filter) == MqttTopicFilterCompareResult.IsMatch)
        {
            var qos = message.QualityOfServiceLevel;
            var size = MqttPacketSize.Publish(Encoding.UTF8.GetByteCount(message.Topic), message.Payload.Length, qos);
            // QoS 2 delivery: the broker also sends PUBREL.
            if (qos == MqttQualityOfServiceLevel.ExactlyOnce) size += MqttPacketSize.Ack;
            pending.Complete(size, qos);
        }
        return Task.CompletedTask;
    }

    internal sealed class Pending(string filter)
    {
        // Continuations run off the receive loop, so a VU's next request never runs on MQTTnet's thread.
        private readonly TaskCompletionSource<(int Size, MqttQualityOfServiceLevel Qos)> _received =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Filter { get; } = filter;

        public void Complete(int size, MqttQualityOfServiceLevel qos) => _received.TrySetResult((size, qos));

        public Task<(int Size, MqttQualityOfServiceLevel Qos)> WaitAsync(CancellationToken token) =>
            _received.Task.WaitAsync(token);
    }
}
