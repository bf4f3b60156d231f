using System.Net;
using System.Net.Sockets;

namespace PerfTest.Benchmarks;

/// <summary>
/// TCP and UDP echo peers on 127.0.0.1:0 for the round-trip benchmarks: synchronous socket calls on their
/// own threads and preallocated buffers (and one reused SocketAddress for UDP), so they allocate nothing
/// and add no managed noise to what the benchmark measures.
/// </summary>
internal sealed class EchoLoopbackServers : IDisposable
{
    private readonly PerfTest.Protocols.Tests.LoopbackListener _tcp = new("bench-echo", EchoStream);
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public EchoLoopbackServers()
    {
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        UdpPort = ((IPEndPoint)_udp.LocalEndPoint!).Port;
        new Thread(EchoDatagrams) { IsBackground = true }.Start();
    }

    public int TcpPort => _tcp.Port;

    public int UdpPort { get; }

    public void Dispose()
    {
        _tcp.Dispose();
        _udp.Dispose();
    }

    private static void EchoStream(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                socket.Send(buffer.AsSpan(0, read));
            }
        }
        catch (Exception)
        {
            // client gone or disposed
        }
    }

    private void EchoDatagrams()
    {
        byte[] buffer = new byte[64 * 1024];
        var peer = new SocketAddress(AddressFamily.InterNetwork);
        try
        {
            while (true)
            {
                int read = _udp.ReceiveFrom(buffer, SocketFlags.None, peer);
                _udp.SendTo(buffer.AsSpan(0, read), SocketFlags.None, peer);
            }
        }
        catch (Exception)
        {
            // disposed
        }
    }
}
