using System.Net;
using System.Net.Sockets;
using PerfTest.Protocols.Epoll;

namespace PerfTest.Protocols.Tests.Epoll;

/// <summary>The epoll transport against real loopback sockets (a TcpListener peer).</summary>
public sealed class EpollSocketTests : LoopbackListenerTest
{
    private async Task<Pair> ConnectPairAsync()
    {
        EpollSocket client = await EpollSocket.ConnectAsync([IPAddress.Loopback], Port, null, CancellationToken.None);
        return new Pair(client, await Listener.AcceptSocketAsync());
    }

    /// <summary>Our client socket and the listener's accepted end of the same connection.</summary>
    private sealed record Pair(EpollSocket Client, Socket Peer) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Peer.Dispose();
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Is_the_transport_in_use_on_linux()
    {
        // Guards against the probe falling back to NetworkStream without anyone noticing.
        Assert.Equal(OperatingSystem.IsLinux(), EpollSocket.IsSupported);
    }

    [Fact]
    public async Task Sends_and_receives_round_trips()
    {
        using Pair pair = await ConnectPairAsync();
        (EpollSocket client, Socket peer) = (pair.Client, pair.Peer);
        var buffer = new byte[64];
        for (int i = 0; i < 100; i++)
        {
            byte[] message = [(byte)i, 1, 2, 3];
            await client.WriteAsync(message);
            int got = await peer.ReceiveAsync(buffer);
            Assert.Equal(message, buffer[..got]);

            await peer.SendAsync(new byte[] { (byte)i, 9 });
            got = await client.ReadAsync(buffer);
            Assert.Equal(new byte[] { (byte)i, 9 }, buffer[..got]);
        }
    }

    [Fact]
    public async Task Data_then_close_arriving_together_reads_the_data_then_the_end()
    {
        using EpollSocket client = await EpollSocket.ConnectAsync([IPAddress.Loopback], Port, null, CancellationToken.None);
        using (Socket peer = await Listener.AcceptSocketAsync())
        {
            await peer.SendAsync(new byte[] { 1, 2, 3 });
            peer.Shutdown(SocketShutdown.Send);
            // The FIN is on its way before the client reads anything: one edge may announce both.
            await Task.Yield();
        }

        var buffer = new byte[64];
        int total = 0;
        int got;
        while ((got = await client.ReadAsync(buffer.AsMemory(total))) > 0)
        {
            total += got;
        }

        Assert.Equal(3, total);
        Assert.Equal(0, await client.ReadAsync(buffer));  // and stays at the end
    }

    [Fact]
    public async Task A_large_answer_arrives_whole_through_small_reads()
    {
        using Pair pair = await ConnectPairAsync();
        (EpollSocket client, Socket peer) = (pair.Client, pair.Peer);
        byte[] sent = RandomBytes(1 << 20, seed: 7);
        Task<int> sending = peer.SendAsync(sent);

        byte[] received = new byte[sent.Length];
        int total = 0;
        while (total < sent.Length)
        {
            int got = await client.ReadAsync(received.AsMemory(total, Math.Min(1000, sent.Length - total)));
            Assert.True(got > 0, "the stream ended early");
            total += got;
        }

        await sending;
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task A_write_larger_than_the_socket_buffer_waits_for_room()
    {
        using Pair pair = await ConnectPairAsync();
        (EpollSocket client, Socket peer) = (pair.Client, pair.Peer);
        byte[] sent = RandomBytes(16 << 20, seed: 3);  // more than both kernel buffers: the write must wait for EPOLLOUT
        Task writing = client.WriteAsync(sent).AsTask();

        byte[] received = new byte[sent.Length];
        int total = 0;
        while (total < sent.Length)
        {
            total += await peer.ReceiveAsync(received.AsMemory(total));
        }

        await writing;
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task A_pending_read_ends_when_cancelled()
    {
        using Pair pair = await ConnectPairAsync();
        (EpollSocket client, Socket peer) = (pair.Client, pair.Peer);
        using var cancel = new CancellationTokenSource();
        ValueTask<int> reading = client.ReadAsync(new byte[16], cancel.Token);
        Assert.False(reading.IsCompleted);  // the peer sent nothing

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reading);

        // The socket still works after a cancelled read.
        await peer.SendAsync(new byte[] { 42 });
        var buffer = new byte[16];
        int got = await client.ReadAtLeastAsync(buffer, 1);
        Assert.Equal(1, got);
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task A_reset_fails_the_read_with_connection_reset()
    {
        using EpollSocket client = await EpollSocket.ConnectAsync([IPAddress.Loopback], Port, null, CancellationToken.None);
        using (Socket peer = await Listener.AcceptSocketAsync())
        {
            peer.LingerState = new LingerOption(true, 0);  // close sends RST
        }

        IOException error = await Assert.ThrowsAsync<IOException>(async () => _ = await client.ReadAsync(new byte[16]));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_refused_and_the_next_address_is_tried()
    {
        int closedPort = Port;
        Listener.Stop();
        SocketException refused = await Assert.ThrowsAsync<SocketException>(() => EpollSocket.ConnectAsync([IPAddress.Loopback], closedPort, null, CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        int port = ((IPEndPoint)other.LocalEndpoint).Port;
        // 127.0.0.2 refuses on that port (nothing listens there), 127.0.0.1 accepts.
        using EpollSocket client = await EpollSocket.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port, null, CancellationToken.None);
        using Socket accepted = await other.AcceptSocketAsync();
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
    }
}
