using System.Net;
using System.Net.Sockets;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// A TCP forwarder from a loopback port to another that can hold what comes in: while held, connections are accepted
/// but nothing goes through (the client waits, as behind a network path that is down); on release they are forwarded.
/// Stands in for the path from one executor to its control plane coming back later than the others'.
/// </summary>
public sealed class HeldForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _to;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    public HeldForwarder(int to)
    {
        _to = to;
        _gate.SetResult();
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections from now on wait (those forwarded already go on).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            if (_gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The waiting connections, and those to come, go through.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _gate.TrySetResult();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Task gate;
            lock (_lock)
            {
                gate = _gate.Task;
            }
            _ = ForwardAsync(client, gate);
        }
    }

    private async Task ForwardAsync(TcpClient client, Task gate)
    {
        using (client)
        {
            try
            {
                await gate.WaitAsync(_stop.Token);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _to, _stop.Token);
                var down = client.GetStream();
                var up = upstream.GetStream();
                // Either side closing ends both: the executor sees its control plane go as it would without the forwarder.
                await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
