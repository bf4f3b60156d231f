using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor;
using PerfTest.Executor.Hosting;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Health;

/// <summary>
/// The standalone executor's probes, in process: live while it serves; ready only while registered with its control
/// plane (a real one, over gRPC). The health address speaks HTTP/1.1 for Kubernetes; the gRPC port stays HTTP/2.
/// </summary>
public sealed class ExecutorHealthTests
{
    private const string Secret = "health-shared-secret";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_follows_the_registration_with_the_control_plane()
    {
        var grpcUrl = $"http://127.0.0.1:{FreePort()}";
        var executorPort = FreePort();
        var healthPort = FreePort();
        var executor = ExecutorProgram.Build(["--Urls", $"http://127.0.0.1:{executorPort}"], out var error, b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Executor:ControlPlaneUrl"] = grpcUrl,
                ["Executor:SharedSecret"] = Secret,
                ["Executor:ClusterId"] = "3",
                ["Executor:Id"] = "health-executor",
                ["Executor:HealthUrl"] = $"http://127.0.0.1:{healthPort}",
            });
            b.Logging.ClearProviders();
        });
        Assert.True(executor is not null, error);
        await using var _ = executor;
        await executor.StartAsync();
        var status = executor.Services.GetRequiredService<RegistrationStatus>();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };

        // No control plane yet.
        Assert.Equal(200, (await http.GetJsonAsync("/healthz/live")).Status);
        var ready = await http.GetJsonAsync("/healthz/ready");
        Assert.Equal(503, ready.Status);
        Assert.Equal("""{"status":"not ready","reason":"not registered with its control plane"}""", ready.Text);

        var controlPlane = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Executors:SharedSecret"] = Secret,
            ["Executors:GrpcUrl"] = grpcUrl,
            ["Executors:HeartbeatSeconds"] = "1",
        }));
        await using (controlPlane)
        {
            await status.WaitAsync(true, CancellationToken.None).WaitAsync(Guard);
            ready = await http.GetJsonAsync("/healthz/ready");
            Assert.Equal(200, ready.Status);
            Assert.Equal("""{"status":"ready"}""", ready.Text);
        }

        // The control plane is gone: the next heartbeat goes unanswered.
        await status.WaitAsync(false, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(503, (await http.GetJsonAsync("/healthz/ready")).Status);
        Assert.Equal(200, (await http.GetJsonAsync("/healthz/live")).Status);

        // The gRPC port stays HTTP/2 only (prior knowledge), and answers the probes there too.
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var viaGrpcPort = await h2.GetAsync($"http://127.0.0.1:{executorPort}/healthz/live");
        Assert.Equal(HttpStatusCode.OK, viaGrpcPort.StatusCode);
        using var h1 = new HttpClient();
        using var viaHttp1 = await h1.GetAsync($"http://127.0.0.1:{executorPort}/healthz/live");
        Assert.Equal(HttpStatusCode.BadRequest, viaHttp1.StatusCode); // Kestrel: "HTTP/1.x request sent to an HTTP/2 only endpoint"
        await executor.StopAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://127.0.0.1:7002")]
    [InlineData("not an address")]
    public void A_health_address_without_a_port_of_its_own_or_not_plain_http_is_refused(string healthUrl)
    {
        var app = ExecutorProgram.Build([], out var error, b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Executor:ControlPlaneUrl"] = "http://127.0.0.1:1",
            ["Executor:SharedSecret"] = Secret,
            ["Executor:HealthUrl"] = healthUrl,
        }));
        Assert.Null(app);
        Assert.Contains("Executor:HealthUrl", error);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
