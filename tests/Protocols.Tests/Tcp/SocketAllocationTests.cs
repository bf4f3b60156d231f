using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Tests.Udp;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.Tcp;

/// <summary>
/// The TCP and UDP steady state (open connection or socket, no capture) allocates nothing per message.
/// Same method and same care for runtime noise as Http/AllocationTests: GC.GetTotalAllocatedBytes is
/// process-wide, so this runs in the serial collection; the criterion (best round under 1 B per message,
/// median under 8 B) is explained at AllocationMeter.AssertUnderOneBytePerSend. Every round is logged.
/// </summary>
[Collection(nameof(PerfTest.Protocols.Tests.Http.SerialAllocationTests))]
public class SocketAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(0, true)]
    public async Task Tcp_steady_state_allocates_less_than_one_byte_per_message(int endType, bool withCallerToken)
    {
        using var server = new TcpTestServer(TcpMode.Echo);
        await using var connection = new TcpConnection();
        SocketExchange exchange = SocketExchange.FromCard(server.Url, "hello, world\n", null, endType, 13, "\n", 0, 0);
        using var cts = new CancellationTokenSource();
        CancellationToken token = withCallerToken ? cts.Token : CancellationToken.None;

        var measured = await Task.Run(() => AllocationMeter.MeasureAsync(() => connection.SendAsync(exchange, null, token)));

        Assert.Equal(1, server.Connections);
        AssertNothingPerMessage(measured);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, true)]
    public async Task Udp_steady_state_allocates_less_than_one_byte_per_message(int endType, bool withCallerToken)
    {
        using var server = new UdpTestServer(UdpMode.Echo);
        await using var channel = new UdpChannel();
        SocketExchange exchange = SocketExchange.FromCard(server.Url, "hello, world\n", null, endType, 0, "\n", 0, 0);
        using var cts = new CancellationTokenSource();
        CancellationToken token = withCallerToken ? cts.Token : CancellationToken.None;

        var measured = await Task.Run(() => AllocationMeter.MeasureAsync(() => channel.SendAsync(exchange, null, token)));

        AssertNothingPerMessage(measured);
    }

    private void AssertNothingPerMessage((long[] Rounds, int Failures) measured)
    {
        output.WriteLine($"bytes allocated per round of {AllocationMeter.PerRound} messages: {string.Join(", ", measured.Rounds)}");
        Assert.Equal(0, measured.Failures);
        AllocationMeter.AssertUnderOneBytePerSend(measured.Rounds);
    }
}
