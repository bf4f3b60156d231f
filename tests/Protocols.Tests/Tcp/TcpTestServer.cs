using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests.Tcp;

internal enum TcpMode
{
    /// <summary>Send back whatever one receive got, and keep the connection.</summary>
    Echo,

    /// <summary>On each message, send the canned answer in the given pieces, pausing between them.</summary>
    Pieces,

    /// <summary>Read messages, never answer.</summary>
    Silent,

    /// <summary>On a message, close with SO_LINGER 0: the kernel sends RST instead of FIN.</summary>
    Reset,

    /// <summary>On a message, send the first piece and close gracefully (FIN).</summary>
    PartialThenClose,

    /// <summary>Echo the message, then close gracefully.</summary>
    EchoThenClose,
}

/// <summary>
/// A TCP peer on 127.0.0.1:0: one thread per connection, synchronous socket calls and preallocated
/// buffers, so in the steady state it allocates nothing (the allocation tests rely on that).
/// </summary>
internal sealed class TcpTestServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly TcpMode _mode;
    private readonly byte[][] _pieces;

    public TcpTestServer(TcpMode mode, params byte[][] pieces)
    {
        _mode = mode;
        _pieces = pieces;
        _listener = new LoopbackListener("tcp-test", Serve);
    }

    public int Port => _listener.Port;

    public string Url => $"tcp://127.0.0.1:{Port}";

    public int Connections => _listener.Connections;

    /// <summary>A port nothing listens on (bound once, then released): connecting is refused.</summary>
    public static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int read = socket.Receive(buffer);
                if (read == 0)
                {
                    socket.Dispose();
                    return;
                }

                if (!Answer(socket, buffer.AsSpan(0, read)))
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
            // The client closed or reset, or the server was disposed.
        }
    }

    /// <returns>False when the connection is over.</returns>
    private bool Answer(Socket socket, ReadOnlySpan<byte> message)
    {
        switch (_mode)
        {
            case TcpMode.Echo:
                socket.Send(message);
                return true;
            case TcpMode.Pieces:
                foreach (byte[] piece in _pieces)
                {
                    socket.Send(piece);
                    Thread.Sleep(15); // separate TCP segments, so the client reads them one by one
                }

                return true;
            case TcpMode.Silent:
                return true;
            case TcpMode.Reset:
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
                return false;
            case TcpMode.PartialThenClose:
                socket.Send(_pieces[0]);
                socket.Shutdown(SocketShutdown.Both);
                socket.Dispose();
                return false;
            default:
                socket.Send(message);
                socket.Shutdown(SocketShutdown.Both);
                socket.Dispose();
                return false;
        }
    }
}
