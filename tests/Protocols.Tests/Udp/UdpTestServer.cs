using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests.Udp;

internal enum UdpMode
{
    /// <summary>Send each datagram back.</summary>
    Echo,

    /// <summary>Answer each datagram with the canned datagrams.</summary>
    Datagrams,

    /// <summary>Receive, never answer (a lost answer).</summary>
    Silent,
}

/// <summary>
/// A UDP peer on 127.0.0.1:0 on one thread. SocketAddress-based ReceiveFrom/SendTo reuse one address
/// object, so in the steady state it allocates nothing (the allocation tests rely on that).
/// </summary>
internal sealed class UdpTestServer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly UdpMode _mode;
    private readonly byte[][] _datagrams;

    public UdpTestServer(UdpMode mode, params byte[][] datagrams)
    {
        _mode = mode;
        _datagrams = datagrams;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        new Thread(Serve) { IsBackground = true, Name = "udp-test" }.Start();
    }

    public int Port { get; }

    public string Url => $"udp://127.0.0.1:{Port}";

    /// <summary>A UDP port nothing is bound to: the kernel answers with ICMP port unreachable.</summary>
    public static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose() => _socket.Dispose();

    private void Serve()
    {
        byte[] buffer = new byte[64 * 1024];
        var peer = new SocketAddress(AddressFamily.InterNetwork);
        try
        {
            while (true)
            {
                int read = _socket.ReceiveFrom(buffer, SocketFlags.None, peer);
                switch (_mode)
                {
                    case UdpMode.Echo:
                        _socket.SendTo(buffer.AsSpan(0, read), SocketFlags.None, peer);
                        break;
                    case UdpMode.Datagrams:
                        foreach (byte[] datagram in _datagrams)
                        {
                            _socket.SendTo(datagram, SocketFlags.None, peer);
                        }

                        break;
                }
            }
        }
        catch (Exception)
        {
            // Disposed.
        }
    }
}
