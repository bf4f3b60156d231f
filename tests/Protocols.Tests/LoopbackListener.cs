using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests;

/// <summary>
/// A TCP listener on 127.0.0.1:0 for the raw test servers: each accepted connection (TCP_NODELAY) is served
/// on its own thread with synchronous calls, so the servers allocate nothing in the steady state.
/// </summary>
public sealed class LoopbackListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];
    private readonly SemaphoreSlim _acceptedSignal = new(0);
    private readonly Action<Socket> _serve;
    private readonly string _name;
    private int _connections;

    public LoopbackListener(string name, Action<Socket> serve)
    {
        _name = name;
        _serve = serve;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = name + "-accept" }.Start();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Waits until one more connection was accepted (a hang guard, not a timing assertion).</summary>
    public Task<bool> NextAcceptAsync() => _acceptedSignal.WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (Socket socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception)
            {
                return; // disposed
            }

            socket.NoDelay = true;
            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            Interlocked.Increment(ref _connections);
            _acceptedSignal.Release();
            new Thread(() => _serve(socket)) { IsBackground = true, Name = _name + "-conn" }.Start();
        }
    }
}
