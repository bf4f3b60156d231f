using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PerfTest.Protocols.Mqtt;

namespace PerfTest.Protocols.Tests.Mqtt;

/// <summary>MqttSession against a real, private mosquitto (see <see cref="MosquittoBroker"/>).</summary>
public sealed class MqttSessionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static MqttSession Session(string url, string id, TimeSpan? returnTimeout = null, string? user = null,
        string? password = null) => new(new MqttSessionOptions
        {
            Url = MqttSessionOptions.ParseUrl(url),
            ClientId = id,
            Username = user,
            Password = password,
            ReturnTimeout = returnTimeout ?? TimeSpan.FromSeconds(10),
        });

    [Fact]
    public async Task Publish_at_qos_0_1_2_succeeds_and_the_broker_delivers_every_message()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var observer = await Observer.StartAsync(broker, "load/#", expected: 15);
        await using var session = Session(broker.Url, "vu-1");

        for (var qos = 0; qos <= 2; qos++)
        {
            var publish = MqttPublish.Create($"load/q{qos}", qos, "hello");
            for (var i = 0; i < 5; i++)
            {
                var r = await session.PublishAsync(publish, CancellationToken.None);
                Assert.Equal(Outcome.Success, r.Outcome);
                Assert.True(r.BytesSent >= publish.PacketSize);
            }
        }

        await observer.All.WaitAsync(Bound);
        Assert.Equal(5, observer.Count("load/q0"));
        Assert.Equal(5, observer.Count("load/q1"));
        Assert.Equal(5, observer.Count("load/q2"));
    }

    [Fact]
    public async Task Mqtts_publishes_through_a_tls_listener_and_an_untrusted_certificate_is_refused_unless_accepted()
    {
        await using var broker = await MosquittoBroker.StartAsync(tls: true);
        await using var observer = await Observer.StartAsync(broker, "secure/#", expected: 3);
        var options = new MqttSessionOptions { Url = MqttSessionOptions.ParseUrl(broker.Url), ClientId = "vu-tls", ReturnTimeout = TimeSpan.FromSeconds(10) };
        await using var trusting = new MqttSession(options with { AcceptAnyServerCertificate = true });
        await using var strict = new MqttSession(options with { ClientId = "vu-strict" });
        var publish = MqttPublish.Create("secure/1", 1, "over tls");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Outcome.Success, (await trusting.PublishAsync(publish, CancellationToken.None)).Outcome);
        }
        var refused = await strict.PublishAsync(publish, CancellationToken.None);

        await observer.All.WaitAsync(Bound);
        Assert.Equal(3, observer.Count("secure/1"));
        Assert.Equal(Outcome.Other, refused.Outcome);  // the self-signed certificate fails validation: a TLS failure
    }

    [Fact]
    public async Task A_packet_larger_than_the_write_buffer_limit_goes_out_whole_and_small_ones_follow()
    {
        // The session's write buffer starts at 1 KiB and shrinks back to 4 KiB after a larger packet (BuildClientOptions).
        await using var broker = await MosquittoBroker.StartAsync();
        await using var observer = await Observer.StartAsync(broker, "big/#", expected: 3);
        await using var session = Session(broker.Url, "vu-big");
        var small = MqttPublish.Create("big/small", 1, "s");
        var large = MqttPublish.Create("big/large", 1, new string('x', 20_000));

        Assert.Equal(Outcome.Success, (await session.PublishAsync(small, CancellationToken.None)).Outcome);
        var sent = await session.PublishAsync(large, CancellationToken.None);
        Assert.Equal(Outcome.Success, (await session.PublishAsync(small, CancellationToken.None)).Outcome);

        Assert.Equal(Outcome.Success, sent.Outcome);
        Assert.Equal(large.PacketSize, sent.BytesSent);
        await observer.All.WaitAsync(Bound);
        Assert.Equal(2, observer.Count("big/small"));
        Assert.Equal(1, observer.Count("big/large"));
    }

    [Fact]
    public async Task Bytes_follow_the_packet_sizes_and_connect_is_counted_once()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Url, "vu-1");
        var publish = MqttPublish.Create("t", 1, "abc");
        Assert.Equal(2 + 2 + 1 + 2 + 3, publish.PacketSize); // header, topic length + "t", packet id, payload

        var first = await session.PublishAsync(publish, CancellationToken.None);
        var second = await session.PublishAsync(publish, CancellationToken.None);

        Assert.Equal(new RequestResult(Outcome.Success, 0, publish.PacketSize, 4), second);
        Assert.Equal(publish.PacketSize + 2 + 10 + 2 + 4, first.BytesSent); // + CONNECT with client id "vu-1"
        Assert.Equal(4 + 4, first.BytesReceived); // CONNACK + PUBACK
    }

    [Fact]
    public async Task Publish_and_wait_gets_the_responders_answer()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var responder = await Responder.StartAsync(broker, "req/+", "resp/vu-1");
        await using var session = Session(broker.Url, "vu-1");
        var publish = MqttPublish.Create("req/vu-1", 1, "ping");

        for (var i = 0; i < 3; i++)
        {
            var r = await session.PublishAndWaitAsync(publish, "resp/#", CancellationToken.None);
            Assert.Equal(Outcome.Success, r.Outcome);
            Assert.True(r.BytesReceived > publish.PacketSize);
        }
        Assert.Equal(3, responder.Answered);
    }

    [Fact]
    public async Task Subscribe_and_wait_receives_a_retained_message()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = Session(broker.Url, "pub");
        Assert.Equal(Outcome.Success,
            (await publisher.PublishAsync(MqttPublish.Create("news/1", 1, "kept", retain: true), CancellationToken.None)).Outcome);
        await using var session = Session(broker.Url, "vu-1");

        var r = await session.SubscribeAndWaitAsync("news/+", 1, CancellationToken.None);

        Assert.Equal(Outcome.Success, r.Outcome);
    }

    [Fact]
    public async Task Waiting_on_a_topic_nobody_publishes_times_out_and_the_session_stays_usable()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Url, "vu-1", returnTimeout: TimeSpan.FromMilliseconds(200));

        var r = await session.SubscribeAndWaitAsync("nobody/here", 0, CancellationToken.None);

        Assert.Equal(Outcome.Timeout, r.Outcome);
        Assert.Equal(Outcome.Success,
            (await session.PublishAsync(MqttPublish.Create("x", 1, ""), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_stopped_broker_is_refused_after_one_reconnect_attempt()
    {
        var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Url, "vu-1");
        var publish = MqttPublish.Create("t", 1, "x");
        Assert.Equal(Outcome.Success, (await session.PublishAsync(publish, CancellationToken.None)).Outcome);

        await broker.DisposeAsync();
        var r = await session.PublishAsync(publish, CancellationToken.None);

        Assert.Equal(Outcome.Refused, r.Outcome);
        Assert.Equal(0, r.StatusCode);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_refused()
    {
        await using var session = Session($"mqtt://127.0.0.1:{MosquittoBroker.FreePort()}", "vu-1");

        var r = await session.PublishAsync(MqttPublish.Create("t", 0, "x"), CancellationToken.None);

        Assert.Equal(Outcome.Refused, r.Outcome);
        Assert.Equal(0, r.StatusCode);
    }

    [Fact]
    public async Task Bad_credentials_are_refused_with_the_connack_code_and_good_ones_connect()
    {
        await using var broker = await MosquittoBroker.StartAsync("alice", "s3cret");
        await using var good = Session(broker.Url, "good", user: "alice", password: "s3cret");
        await using var bad = Session(broker.Url, "bad", user: "alice", password: "wrong");
        await using var anonymous = Session(broker.Url, "anon");

        Assert.Equal(Outcome.Success, (await good.ConnectAsync(CancellationToken.None)).Outcome);
        var r = await bad.PublishAsync(MqttPublish.Create("t", 1, "x"), CancellationToken.None);
        var a = await anonymous.ConnectAsync(CancellationToken.None);

        Assert.Equal(Outcome.Refused, r.Outcome);
        // mosquitto answers MQTT 3.1.1 code 5 "not authorized" (MQTTnet: 135); other brokers send 4 (134).
        Assert.Contains(r.StatusCode, new[] { (int)MqttClientConnectResultCode.BadUserNameOrPassword,
            (int)MqttClientConnectResultCode.NotAuthorized });
        Assert.Equal(Outcome.Refused, a.Outcome);
        Assert.NotEqual(0, a.StatusCode);
    }

    [Fact]
    public void Cards_with_bad_fields_are_rejected_once()
    {
        Assert.Throws<ArgumentException>(() => MqttSessionOptions.ParseUrl("http://127.0.0.1:1883"));
        Assert.Throws<ArgumentException>(() => MqttPublish.Create("a/#", 0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttPublish.Create("a", 3, "x"));
        Assert.Equal(8883, new MqttSessionOptions { Url = MqttSessionOptions.ParseUrl("mqtts://h") }.Port);
    }

    /// <summary>An independent MQTTnet client that counts what the broker delivered.</summary>
    private sealed class Observer(IMqttClient client) : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _total;

        public Task All => _all.Task;
        public int Count(string topic) => _counts.GetValueOrDefault(topic);

        public static async Task<Observer> StartAsync(MosquittoBroker broker, string filter, int expected)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var observer = new Observer(client);
            client.ApplicationMessageReceivedAsync += e =>
            {
                observer._counts.AddOrUpdate(e.ApplicationMessage.Topic, 1, (_, n) => n + 1);
                if (Interlocked.Increment(ref observer._total) == expected) observer._all.TrySetResult();
                return Task.CompletedTask;
            };
            await client.ConnectAsync(Options(broker, "observer"));
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(filter, MqttQualityOfServiceLevel.ExactlyOnce).Build());
            return observer;
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }

    /// <summary>Answers every request message with one message on a reply topic.</summary>
    private sealed class Responder(IMqttClient client) : IAsyncDisposable
    {
        private int _answered;
        public int Answered => Volatile.Read(ref _answered);

        public static async Task<Responder> StartAsync(MosquittoBroker broker, string filter, string replyTopic)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var responder = new Responder(client);
            client.ApplicationMessageReceivedAsync += async e =>
            {
                await client.PublishStringAsync(replyTopic, "pong", MqttQualityOfServiceLevel.AtLeastOnce);
                Interlocked.Increment(ref responder._answered);
            };
            await client.ConnectAsync(Options(broker, "responder"));
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            return responder;
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }

    private static MqttClientOptions Options(MosquittoBroker broker, string id)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId(id).WithProtocolVersion(MqttProtocolVersion.V311);
        if (broker.Tls)
        {
            builder.WithTlsOptions(t => t.UseTls().WithCertificateValidationHandler(_ => true));  // the test's own self-signed broker
        }
        return builder.Build();
    }
}
