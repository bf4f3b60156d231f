using System.Net;
using System.Net.Sockets;

namespace PerfTest.Protocols.Tests;

/// <summary>A test class with a real TCP listener on 127.0.0.1 (a free port), started before each test and stopped after.</summary>
public abstract class LoopbackListenerTest : IAsyncLifetime
{
    /// <summary>The listener: the peer the tests connect to and accept from.</summary>
    protected TcpListener Listener { get; } = new(IPAddress.Loopback, 0);

    /// <summary>The listener's port.</summary>
    protected int Port => ((IPEndPoint)Listener.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        Listener.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Listener.Stop();
        Listener.Dispose();
        return Task.CompletedTask;
    }
}
