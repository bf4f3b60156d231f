using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Mqtt;

/// <summary>
/// One VU's MQTT connection (MQTT 3.1.1 over MQTTnet 5). It connects on the first exchange, is kept across
/// iterations and reconnects when the connection dropped. One exchange at a time; failures are returned as
/// outcomes, never thrown (except cancellation through the caller's token).
/// </summary>
public sealed class MqttSession : IAsyncDisposable
{
    private static readonly MqttClientFactory Factory = new();

    private readonly MqttSessionOptions _options;
    private readonly MqttClientOptions _clientOptions;
    private readonly IMqttClient _client;
    private readonly MessageWaiter _waiter = new();
    private readonly AddressResolver _resolver;
    // Filters subscribed on the current connection; cleared on every (re)connect.
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private CancellationTokenSource _timeout = new();
    private CancellationTokenSource? _linked;
    // Completed when MQTTnet has finished tearing the last connection down; it refuses to connect before that.
    private TaskCompletionSource _torndown = NewTeardown(completed: true);
    private long _sent;
    private long _received;
    private bool _connecting;

    public MqttSession(MqttSessionOptions options)
    {
        _options = options;
        _resolver = new AddressResolver(options.Targets);
        _clientOptions = BuildClientOptions(options);
        _client = Factory.CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += _waiter.OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects unless connected (a VU may connect before its first iteration).</summary>
    public ValueTask<RequestResult> ConnectAsync(CancellationToken ct) => RunAsync(null, null, 0, ct);

    /// <summary>Publish; done at PUBACK (QoS 1), PUBCOMP (QoS 2) or once written (QoS 0).</summary>
    public ValueTask<RequestResult> PublishAsync(MqttPublish publish, CancellationToken ct) =>
        RunAsync(publish, null, 0, ct);

    /// <summary>Subscribes to <paramref name="topicFilter"/> (once per connection) and waits for the next matching message.</summary>
    public ValueTask<RequestResult> SubscribeAndWaitAsync(string topicFilter, int qos, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicFilter);
        return RunAsync(null, topicFilter, MqttPublish.ToQos(qos), ct);
    }

    /// <summary>Subscribes to <paramref name="waitTopicFilter"/> at the publish's QoS, publishes, waits for a matching message.</summary>
    public ValueTask<RequestResult> PublishAndWaitAsync(MqttPublish publish, string waitTopicFilter, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(waitTopicFilter);
        return RunAsync(publish, waitTopicFilter, publish.Qos, ct);
    }

    private async ValueTask<RequestResult> RunAsync(
        MqttPublish? publish, string? waitFilter, MqttQualityOfServiceLevel waitQos, CancellationToken ct)
    {
        _sent = _received = 0;
        for (var attempt = 0; ; attempt++)
        {
            var reused = _client.IsConnected;
            _connecting = false;
            try
            {
                if (!reused && await ConnectCoreAsync(ct) is { } refused)
                {
                    return refused;
                }
                if (publish == null && waitFilter == null)
                {
                    return Done(Outcome.Success);
                }
                return await ExchangeAsync(publish, waitFilter, waitQos, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // A kept connection the broker dropped while idle: reconnect and retry once, like HTTP keep-alive.
                if (reused && attempt == 0 && MqttErrorClassifier.IsConnectionLost(e))
                {
                    continue;
                }
                var (outcome, status) = MqttErrorClassifier.Classify(e, _connecting);
                return new RequestResult(outcome, status, _sent, _received);
            }
        }
    }

    /// <returns>Null when connected; a Refused result when the broker answered CONNACK with a refusal.</returns>
    private async ValueTask<RequestResult?> ConnectCoreAsync(CancellationToken ct)
    {
        _connecting = true;
        _subscribed.Clear();
        var token = Arm(_options.ConnectTimeout, ct);
        // The broker dropped us and MQTTnet may still be cleaning up: connecting now would throw.
        await _torndown.Task.WaitAsync(token);
        _torndown = NewTeardown(completed: false);
        MqttClientConnectResult result;
        try
        {
            await AimAsync(token);
            _sent += MqttPacketSize.Connect(_options);
            result = await _client.ConnectAsync(_clientOptions, token);
        }
        catch
        {
            _resolver.Forget();
            // A failed connect does not raise DisconnectedAsync in every path; the client is idle again.
            _torndown.TrySetResult();
            throw;
        }
        _received += MqttPacketSize.ConnAck;
        _connecting = false;
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            _torndown.TrySetResult();
            // Bad credentials, not authorized, id rejected...: the MQTT spec calls these "Connection Refused";
            // StatusCode (MQTTnet's code, e.g. 134 bad user name or password) tells them apart from a TCP refusal (0).
            return new RequestResult(Outcome.Refused, (int)result.ResultCode, _sent, _received);
        }
        return null;
    }

    /// <summary>
    /// Points MQTTnet at an address the target policy permitted (resolved here, not by MQTTnet, so the connect goes to
    /// exactly the checked address); TLS still names the URL's host (BuildClientOptions).
    /// </summary>
    private async ValueTask AimAsync(CancellationToken token)
    {
        var addresses = await _resolver.ResolveAsync(_options.Url.IdnHost, token);
        var tcp = (MqttClientTcpOptions)_clientOptions.ChannelOptions;
        tcp.RemoteEndpoint = new IPEndPoint(addresses[0], _options.Port);
        // MQTTnet binds its socket to LocalEndpoint before connecting: the next source address, on every (re)connect.
        if (_options.Sources?.Next(addresses[0].AddressFamily) is { } source)
        {
            tcp.LocalEndpoint = new IPEndPoint(source, 0);
        }
    }

    private async ValueTask<RequestResult> ExchangeAsync(
        MqttPublish? publish, string? waitFilter, MqttQualityOfServiceLevel waitQos, CancellationToken ct)
    {
        var token = Arm(_options.ReturnTimeout, ct);
        // Armed before subscribing: a retained message arrives right after SUBACK.
        var waiting = waitFilter == null ? null : _waiter.Start(waitFilter);
        try
        {
            if (waitFilter != null && _subscribed.Add(waitFilter))
            {
                await SubscribeCoreAsync(waitFilter, waitQos, token);
            }
            if (publish != null && await PublishCoreAsync(publish, token) is { } rejected)
            {
                return rejected;
            }
            if (waiting != null)
            {
                var (size, qos) = await waiting.WaitAsync(token);
                _received += size;
                _sent += MqttPacketSize.AcksSentForReceived(qos);
            }
            return Done(Outcome.Success);
        }
        finally
        {
            _waiter.Stop();
        }
    }

    private async ValueTask SubscribeCoreAsync(string filter, MqttQualityOfServiceLevel qos, CancellationToken token)
    {
        _sent += MqttPacketSize.Subscribe(filter);
        var options = Factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(qos))
            .Build();
        try
        {
            await _client.SubscribeAsync(options, token);
        }
        catch
        {
            _subscribed.Remove(filter); // not known to be subscribed: try again next time
            throw;
        }
        _received += MqttPacketSize.SubAck;
    }

    private async ValueTask<RequestResult?> PublishCoreAsync(MqttPublish publish, CancellationToken token)
    {
        _sent += publish.PacketSize;
        var result = await _client.PublishAsync(publish.Message, token);
        switch (publish.Qos)
        {
            case MqttQualityOfServiceLevel.AtLeastOnce:
                _received += MqttPacketSize.Ack; // PUBACK
                break;
            case MqttQualityOfServiceLevel.ExactlyOnce:
                _received += 2 * MqttPacketSize.Ack; // PUBREC, PUBCOMP
                _sent += MqttPacketSize.Ack; // PUBREL
                break;
        }
        // MQTT 3.1.1 acks carry no reason code, so this only trips on an MQTT 5 broker's refusal.
        return result.IsSuccess ? null : new RequestResult(Outcome.CheckpointFailed, (int)result.ReasonCode, _sent, _received);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        _torndown.TrySetResult();
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewTeardown(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed) tcs.SetResult();
        return tcs;
    }

    private RequestResult Done(Outcome outcome) => new(outcome, 0, _sent, _received);

    /// <summary>The deadline of one step: one reusable timer source per session, linked to the caller's token.</summary>
    private CancellationToken Arm(TimeSpan timeout, CancellationToken ct)
    {
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }
        _timeout.CancelAfter(timeout);
        _linked?.Dispose();
        _linked = null;
        if (!ct.CanBeCanceled)
        {
            return _timeout.Token;
        }
        _linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _timeout.Token);
        return _linked.Token;
    }

    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= _waiter.OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
            catch (Exception e) when (MqttErrorClassifier.IsConnectionLost(e))
            {
                // Already gone: nothing to say goodbye to.
            }
        }
        _client.Dispose();
        _linked?.Dispose();
        _timeout.Dispose();
    }

    private static MqttClientOptions BuildClientOptions(MqttSessionOptions o)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.Url.Host, o.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(o.ClientId)
            .WithKeepAlivePeriod(o.KeepAlive)
            .WithCleanSession(o.CleanSession)
            // Our own deadlines (Arm) decide; MQTTnet's must not fire first.
            .WithTimeout(o.ConnectTimeout > o.ReturnTimeout ? o.ConnectTimeout : o.ReturnTimeout);
        if (o.Username != null)
        {
            builder.WithCredentials(o.Username, o.Password == null ? null : Encoding.UTF8.GetBytes(o.Password));
        }
        if (o.UseTls)
        {
            builder.WithTlsOptions(t =>
            {
                t.UseTls();
                // The connect goes to a checked IP address (AimAsync): the certificate is still checked against the name.
                t.WithTargetHost(o.Url.IdnHost);
                if (o.AcceptAnyServerCertificate)
                {
                    t.WithCertificateValidationHandler(_ => true);
                }
            });
        }
        var options = builder.Build();
        // Each session keeps its packet write buffer for life (4 KiB at first, and whatever a large packet grew it to, up
        // to 64 KiB, by MQTTnet's defaults). Load-test packets are mostly small and a VU holds its session for the run,
        // often by the ten thousand: start at 1 KiB, and shrink back to 4 KiB after a large packet.
        options.WriterBufferSize = 1024;
        options.WriterBufferSizeMax = 4096;
        return options;
    }
}
