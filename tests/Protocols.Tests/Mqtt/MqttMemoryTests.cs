using PerfTest.Protocols.Mqtt;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.Mqtt;

/// <summary>
/// Managed memory per connected idle session. Small by default so CI stays quick; the figure in
/// docs/protocols-mqtt.md comes from PERFTEST_MQTT_MEMORY_SESSIONS=1000 (command there).
/// </summary>
public sealed class MqttMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Idle_connected_sessions_memory_per_session()
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable("PERFTEST_MQTT_MEMORY_SESSIONS"), out var v) ? v : 50;
        await using var broker = await MosquittoBroker.StartAsync();
        var url = MqttSessionOptions.ParseUrl(broker.Url);
        var sessions = new List<MqttSession>(n);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        try
        {
            for (var i = 0; i < n; i++)
            {
                var session = new MqttSession(new MqttSessionOptions { Url = url, ClientId = $"vu-{i}" });
                sessions.Add(session);
                Assert.Equal(Outcome.Success, (await session.ConnectAsync(CancellationToken.None)).Outcome);
            }
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Assert.All(sessions, s => Assert.True(s.IsConnected));
            output.WriteLine($"MQTT sessions: {n}, managed bytes per connected idle session: {(after - before) / n:N0}");
        }
        finally
        {
            foreach (var s in sessions) await s.DisposeAsync();
        }
    }
}
