using PerfTest.Protocols.Tcp;
using PerfTest.Protocols.Tests.Udp;
using PerfTest.Protocols.Transport;
using PerfTest.Protocols.Udp;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.Tcp;

/// <summary>
/// The TCP and UDP steady state (open connection or socket, no capture) allocates nothing per message.
/// Same method and same care for runtime noise as Http/AllocationTests: GC.GetTotalAllocatedBytes is
/// process-wide, so this runs in the serial collection; the runtime allocates a few KB now and then on its
/// own, while a per-message allocation would show in every round (at least 24 B x 1,000), so the proof
/// is: the best and the median round of 10 are both under 1 B per message. Every round is logged.
/// </summary>
[Collection(nameof(PerfTest.Protocols.Tests.Http.SerialAllocationTests))]
public class SocketAllocationTests(ITestOutputHelper output)
{
    private const int Messages = 1_000;
    private const int Rounds = 10;

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

        long[] rounds = await Task.Run(() => MeasureAsync(() => connection.SendAsync(exchange, null, token)));

        Assert.Equal(1, server.Connections);
        AssertNothingPerMessage(rounds);
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

        long[] rounds = await Task.Run(() => MeasureAsync(() => channel.SendAsync(exchange, null, token)));

        AssertNothingPerMessage(rounds);
    }

    private void AssertNothingPerMessage(long[] rounds)
    {
        output.WriteLine($"bytes allocated per round of {Messages} messages: {string.Join(", ", rounds)}");
        Array.Sort(rounds);
        Assert.True(rounds[0] < Messages, $"best round: {rounds[0]} B for {Messages} messages");
        Assert.True(rounds[Rounds / 2] < Messages, $"median round: {rounds[Rounds / 2]} B for {Messages} messages");
    }

    /// <summary>Off xunit's synchronization context; the delegate is allocated once, before the loop.</summary>
    private static async Task<long[]> MeasureAsync(Func<ValueTask<RequestResult>> send)
    {
        // Warm-up: connect, fill the pools (async boxes, socket event args, cancellation nodes), settle the JIT.
        for (int i = 0; i < 3_000; i++)
        {
            Assert.Equal(Outcome.Success, (await send().ConfigureAwait(false)).Outcome);
        }

        int failures = 0;
        long[] rounds = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < Messages; i++)
            {
                if ((await send().ConfigureAwait(false)).Outcome != Outcome.Success)
                {
                    failures++;
                }
            }

            rounds[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        Assert.Equal(0, failures);
        return rounds;
    }
}
