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
    /// <remarks>
    /// <c>sources</c>: the local addresses to bind to in turn (<see cref="SourceAddresses.Current"/> for the
    /// executor's own); null: the kernel picks the source.
    /// </remarks>
    public static async Task<Stream> ConnectAsync(IPAddress[] addresses, int port, SourceAddresses? sources, CancellationToken cancellationToken)
    {
        try
        {
            if (EpollSocket.IsSupported)
            {
                return await EpollSocket.ConnectAsync(addresses, port, sources, cancellationToken).ConfigureAwait(false);
            }

            return sources is null
                ? await ConnectDualModeAsync(addresses, port, cancellationToken).ConfigureAwait(false)
                : await ConnectBoundAsync(addresses, port, sources, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TooManyOpenSockets)
        {
            Descriptors.OnExhausted();
            throw;
        }
    }

    private static async Task<Stream> ConnectDualModeAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
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

    // .NET sockets (no epoll transport): a socket of each address's own family, so it can be bound to a source address of that family.
    internal static async Task<Stream> ConnectBoundAsync(IPAddress[] addresses, int port, SourceAddresses sources, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                sources.Bind(socket);
                await socket.ConnectAsync(address, port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.AddressNotAvailable);
    }
}
