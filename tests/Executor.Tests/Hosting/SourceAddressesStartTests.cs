using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.Executor.Hosting;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Transport;
using Xunit;

namespace PerfTest.Executor.Tests.Hosting;

/// <summary>Runs alone: it sets the process-wide <see cref="SourceAddresses.Current"/> while it runs.</summary>
[CollectionDefinition(nameof(ProcessWideSources), DisableParallelization = true)]
public sealed class ProcessWideSources;

/// <summary>Executor:SourceAddresses: refused with the key named when wrong; installed for the process at start.</summary>
[Collection(nameof(ProcessWideSources))]
public sealed class SourceAddressesStartTests
{
    private static readonly string[] Required =
        ["--Executor:SharedSecret=s", "--Executor:ClusterId=1", "--Executor:ControlPlaneUrl=http://127.0.0.1:5081"];

    [Theory]
    [InlineData("127.0.0.9-127.0.0.2", "Executor:SourceAddresses: '127.0.0.9-127.0.0.2': the range ends before it starts.")]
    [InlineData("127.0.0.x", "Executor:SourceAddresses: '127.0.0.x': '127.0.0.x' is not an IP address.")]
    [InlineData("192.0.2.77", "Executor:SourceAddresses: '192.0.2.77': 192.0.2.77 is not an address of this machine (see `ip addr`).")]
    public void A_bad_specification_stops_the_start_with_the_key_named(string specification, string expected)
    {
        Assert.Null(ExecutorProgram.Build([.. Required, "--Executor:SourceAddresses=" + specification], out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task At_start_the_executors_http_connections_come_from_its_source_addresses_in_turn_and_at_stop_no_longer()
    {
        var app = ExecutorProgram.Build([.. Required, "--Executor:SourceAddresses=127.0.0.2-127.0.0.3"], out var error);
        Assert.True(app is not null, error);
        await using var _ = app;
        var service = app.Services.GetServices<IHostedService>().OfType<OutgoingConnections>().Single();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await service.StartAsync(CancellationToken.None);
        List<string> seen;
        try
        {
            var options = new HttpClientOptions();  // as the script compiler makes them, after the start
            seen = [await ConnectFromAsync(listener, port, options), await ConnectFromAsync(listener, port, options),
                    await ConnectFromAsync(listener, port, options)];
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.2"], seen);
        Assert.Null(SourceAddresses.Current);
        Assert.Equal("127.0.0.1", await ConnectFromAsync(listener, port, new HttpClientOptions()));
    }

    [Fact]
    public void Running_out_of_descriptors_is_logged_once_then_at_most_every_ten_seconds()
    {
        var time = new ManualTime();
        var logger = new CountingLogger();
        var service = new OutgoingConnections(null, logger, time);
        service.OnDescriptorsExhausted();
        service.OnDescriptorsExhausted();
        time.Advance(TimeSpan.FromSeconds(9));
        service.OnDescriptorsExhausted();
        Assert.Equal(1, logger.Warnings);
        time.Advance(TimeSpan.FromSeconds(2));
        service.OnDescriptorsExhausted();
        Assert.Equal(2, logger.Warnings);
        Assert.Contains("2 more since the last warning", logger.Last, StringComparison.Ordinal);
    }

    private static async Task<string> ConnectFromAsync(TcpListener listener, int port, HttpClientOptions options)
    {
        using var connection = await ConnectionStream.ConnectAsync(
            HttpEndpoint.FromUri(new Uri($"http://127.0.0.1:{port}/")), [IPAddress.Loopback], options, CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address.ToString();
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private sealed class CountingLogger : ILogger<OutgoingConnections>
    {
        public int Warnings { get; private set; }

        public string Last { get; private set; } = "";

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
                Last = formatter(state, exception);
            }
        }
    }
}
