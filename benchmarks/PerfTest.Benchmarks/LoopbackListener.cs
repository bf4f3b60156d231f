using System.Net;
using System.Net.Sockets;

namespace PerfTest.Benchmarks;

/// <summary>
/// A TCP listener on 127.0.0.1:0 that hands each accepted connection (TCP_NODELAY) to its own thread:
/// the benchmark peers serve with synchronous calls, so they allocate nothing while being measured.
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];
    private readonly Action<Socket> _serve;

    public LoopbackListener(Action<Socket> serve)
    {
        _serve = serve;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true }.Start();
    }

    public int Port { get; }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }
    }

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

                new Thread(() => _serve(socket)) { IsBackground = true }.Start();
            }
        }
        catch (Exception)
        {
            // disposed
        }
    }
}
