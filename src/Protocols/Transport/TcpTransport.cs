using System.Net;
using System.Net.Sockets;
using PerfTest.Protocols.Epoll;

namespace PerfTest.Protocols.Transport;

/// <summary>Opens a TCP connection as a Stream, for HTTP and raw TCP alike.</summary>
internal static class TcpTransport
{
    /// <summary>
    /// On Linux our own epoll transport (<see cref="EpollSocket"/>: one recv per response, not two);
    /// elsewhere a NetworkStream. Both with TCP_NODELAY: a request is one write and must not wait for Nagle.
    /// </summary>
    public static async Task<Stream> ConnectAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        if (EpollSocket.IsSupported)
        {
            return await EpollSocket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
        }

        // Dual-mode when the OS has IPv6, so the same socket type reaches IPv4 and IPv6 addresses.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
