using System.Net;
using System.Net.Sockets;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Observability;

/// <summary>
/// In anonymous dev mode the API must listen on loopback only; the metrics port, which serves /metrics and nothing
/// else, may listen on every address (a pod's), and the service runs.
/// </summary>
public sealed class MetricsPortTests
{
    [Fact]
    public async Task In_anonymous_dev_mode_a_metrics_port_on_every_address_is_allowed_and_serves_only_metrics()
    {
        var port = FreePort();
        var previous = Environment.ExitCode;
        var logs = new LogSink();
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
            {
                ["Metrics:Port"] = $"{port}",
                ["Metrics:Host"] = "0.0.0.0",
            }), logs: logs);
            Assert.False(server.App.Lifetime.ApplicationStopping.IsCancellationRequested, string.Join(Environment.NewLine, logs.Log.Lines));
            Assert.Equal(previous, Environment.ExitCode);
            using var http = new HttpClient();
            using var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("perftest_store_seconds_total", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var api = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/v1/e2e0000project/test-suites"));
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    [Fact]
    public async Task A_port_out_of_range_is_refused_at_start_naming_the_key()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?> { ["Metrics:Port"] = "70000" })));
        Assert.Equal("Metrics:Port is 70000: a TCP port is 1-65535", e.Message);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
