using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using PerfTest.Protocols.Tests.Mqtt;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>MQTT packet cards through the REST API against a real mosquitto broker: what a subscriber saw, what the report counts.</summary>
public sealed class MqttRunTests : RunTestBase
{
    [Fact]
    public async Task Qos1_publishes_reach_a_subscriber_and_are_counted()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var seen = new ConcurrentQueue<string>();
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var observer = await ConnectAsync(broker, "sensors/#", message =>
        {
            seen.Enqueue($"{message.Topic}={message.ConvertPayloadToString()}");
            if (seen.Count == 5)
            {
                allSeen.TrySetResult();
            }
            return Task.CompletedTask;
        });

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "pub", "protocol_type": 11, "url": "{{broker.Url}}",
              "topic": "sensors/1", "qos": 1, "payload": "{\"t\":21}" } }
            """);
        await allSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["successCount"]!.GetValue<long>());
        Assert.Equal(Enumerable.Repeat("sensors/1={\"t\":21}", 5), seen);
        Assert.Equal(["MQTT"], RunHarness.Protocols(await Run.LogOutlineAsync(LastRunId)));
    }

    [Fact]
    public async Task Publish_and_wait_times_the_round_trip_through_a_responder()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        IMqttClient? responder = null;
        responder = await ConnectAsync(broker, "requests/#", message =>
            responder!.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("replies/1").WithPayload("pong:" + message.ConvertPayloadToString()).Build()));
        using var _ = responder;

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "rpc", "protocol_type": 11, "url": "{{broker.Url}}", "action": "publish_and_wait",
              "topic": "requests/1", "wait_topic": "replies/#", "qos": 1, "payload": "ping" } }
            """);

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["successCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_wrong_password_is_counted_as_refused()
    {
        await using var broker = await MosquittoBroker.StartAsync("loadtest", "right");

        var performance = await RunCardAsync($$"""
            { "content_type": 2, "content": { "name": "pub", "protocol_type": 11, "url": "{{broker.Url}}",
              "username": "loadtest", "password": "wrong", "topic": "t" } }
            """);

        Assert.Equal(5, performance["requests"]!.GetValue<long>());
        Assert.Equal(5, performance["failedRefused"]!.GetValue<long>());
    }

    private static async Task<IMqttClient> ConnectAsync(MosquittoBroker broker, string filter, Func<MqttApplicationMessage, Task> onMessage)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => onMessage(e.ApplicationMessage);
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("observer").Build());
        await client.SubscribeAsync(filter, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }
}
