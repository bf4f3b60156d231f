using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests;

/// <summary>
/// A listener on 127.0.0.1:0 that serves each accepted connection on its own thread with synchronous socket
/// calls, so a subclass that preallocates its buffers adds no managed allocation to what allocation tests and
/// benchmarks measure. Shared by the tests' and the benchmarks' loopback servers (linked into the latter).
/// </summary>
public abstract class ThreadPerConnectionServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];
    private int _connections;

    protected ThreadPerConnectionServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _listener.Dispose();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Called by the subclass at the end of its constructor, once its fields are set.</summary>
    protected void Start() => new Thread(AcceptLoop) { IsBackground = true }.Start();

    /// <summary>Serves one connection until the client goes; exceptions end the connection quietly.</summary>
    protected abstract void Serve(Socket socket);

    private void AcceptLoop()
    {
        try
        {
            while (true)
            {
                Socket socket = _listener.Accept();
                socket.NoDelay = true;
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                Interlocked.Increment(ref _connections);
                new Thread(() => ServeQuietly(socket)) { IsBackground = true }.Start();
            }
        }
        catch (Exception)
        {
            // disposed
        }
    }

    private void ServeQuietly(Socket socket)
    {
        try
        {
            Serve(socket);
        }
        catch (Exception)
        {
            // client gone or server disposed
        }
    }
}
