using PerfTest.Protocols.Http;
using PerfTest.Protocols.Tests.Http;
using PerfTest.Protocols.WebSocket;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.WebSocket;

/// <summary>Same method as the HTTP <see cref="AllocationTests"/>, in the same serial collection.</summary>
[Collection(nameof(SerialAllocationTests))]
public class WebSocketAllocationTests(ITestOutputHelper output)
{
    private const int Messages = AllocationMeter.PerRound;

    /// <summary>
    /// The steady state (open connection, no capture) allocates nothing per message: framing, masking,
    /// decoding, pipes, epoll transport and the deadline included. A per-message allocation would show in
    /// every round (at least 24 B x 1,000); the runtime's occasional own allocations show in one round at
    /// most, hence: best round under 1 B/message, median under 8 B (see AllocationMeter).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Steady_state_allocates_less_than_one_byte_per_message(bool withCallerToken)
    {
        using var server = new RawWebSocketServer();
        await using var connection = new WebSocketConnection(server.Url, [], new HttpClientOptions());
        WebSocketExchange message = WebSocketExchange.FromCard("text", "{\"op\":\"tick\",\"seq\":42}", 0, 0, null);
        using var cts = new CancellationTokenSource();
        CancellationToken token = withCallerToken ? cts.Token : CancellationToken.None;

        (long[] rounds, int failures) = await Task.Run(() => AllocationMeter.MeasureAsync(() => connection.SendAsync(message, null, token)));

        output.WriteLine($"bytes allocated per round of {Messages} messages: {string.Join(", ", rounds)}");
        Assert.Equal(0, failures);
        AllocationMeter.AssertUnderOneBytePerSend(rounds);
        Assert.Equal(1, server.Connections);
    }
}
