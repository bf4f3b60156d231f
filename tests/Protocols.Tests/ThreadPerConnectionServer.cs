using System.Net.Sockets;

namespace PerfTest.Protocols.Tests;

/// <summary>
/// A base for loopback servers written as a subclass (<see cref="Serve"/>) on top of <see cref="LoopbackListener"/>:
/// each accepted connection is served on its own thread with synchronous socket calls, so a subclass that
/// preallocates its buffers adds no managed allocation to what allocation tests and benchmarks measure.
/// Shared by the tests' and the benchmarks' loopback servers (linked into the latter).
/// </summary>
public abstract class ThreadPerConnectionServer : IDisposable
{
    private LoopbackListener? _listener;

    public int Port => _listener!.Port;

    public int Connections => _listener!.Connections;

    public void Dispose()
    {
        _listener?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Called by the subclass at the end of its constructor, once its fields are set.</summary>
    protected void Start() => _listener = new LoopbackListener(GetType().Name, ServeQuietly);

    /// <summary>Serves one connection until the client goes; exceptions end the connection quietly.</summary>
    protected abstract void Serve(Socket socket);

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
