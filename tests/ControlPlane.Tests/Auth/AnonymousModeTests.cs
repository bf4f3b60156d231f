using PerfTest.ControlPlane.Hosting;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>Without credentials the service runs open only on loopback, and refuses to run elsewhere.</summary>
public sealed class AnonymousModeTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://127.8.9.10:80", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("https://10.1.2.3:443", false)]
    public void Loopback_addresses_are_told_from_the_others(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddress.IsLoopback(address));

    [Theory]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1", 5081)]
    [InlineData("http://[::1]:7001/", "::1", 7001)]
    [InlineData("http://localhost:5000", "localhost", 5000)]
    [InlineData("http://+:80", "+", 80)]
    [InlineData("http://example", "example", null)]
    public void Addresses_split_into_host_and_port(string address, string host, int? port) =>
        Assert.Equal((host, port), ListenAddress.Split(address));

    [Fact]
    public async Task Anonymous_requests_are_served_on_loopback()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        Assert.Equal(200, (await server.Http.GetJsonAsync("/v1/0a1b2c3d4e5f/test-suites")).Status);
    }

    [Fact]
    public async Task Bound_beyond_loopback_without_credentials_it_refuses_to_run()
    {
        var previous = Environment.ExitCode;
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(), "http://0.0.0.0:0");
            Assert.True(server.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the service kept running");
            Assert.Equal(2, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }
}
