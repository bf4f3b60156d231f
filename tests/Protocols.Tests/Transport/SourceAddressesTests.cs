using System.Net;
using System.Net.Sockets;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Mqtt;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Tests.Transport;

/// <summary>Executor:SourceAddresses: parsing, rotation, and the source a real loopback listener sees.</summary>
public sealed class SourceAddressesTests : LoopbackListenerTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);  // hang guard only
    [Fact]
    public void A_range_and_a_list_expand_in_order()
    {
        var sources = SourceAddresses.Parse("127.0.0.2-127.0.0.4, 127.0.1.9,::1");
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.1.9", "::1"], sources.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void A_range_may_cross_an_octet()
    {
        var sources = SourceAddresses.Parse("127.0.0.254-127.0.1.1");
        Assert.Equal(["127.0.0.254", "127.0.0.255", "127.0.1.0", "127.0.1.1"], sources.Addresses.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("", "names no address")]
    [InlineData("127.0.0.300", "is not an IP address")]
    [InlineData("12", "is not an IP address")]
    [InlineData("127.0.0.9-127.0.0.2", "ends before it starts")]
    [InlineData("::1-::2", "IPv4 only")]
    [InlineData("127.0.0.2,127.0.0.2", "twice")]
    [InlineData("0.0.0.0", "Unspecified")]
    [InlineData("224.0.0.1", "MulticastOrReserved")]
    [InlineData("169.254.169.254", "LinkLocal")]
    [InlineData("127.0.0.0-127.1.0.0", "more than 65536")]
    [InlineData("192.0.2.77", "not an address of this machine")]
    public void Bad_specifications_are_refused_with_the_entry_named(string specification, string message)
    {
        var error = Assert.Throws<FormatException>(() => SourceAddresses.Parse(specification));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_are_taken_in_turn_per_family_and_a_family_without_any_gets_none()
    {
        var sources = SourceAddresses.Parse("127.0.0.2-127.0.0.3");
        Assert.Equal(IPAddress.Parse("127.0.0.2"), sources.Next(AddressFamily.InterNetwork));
        Assert.Equal(IPAddress.Parse("127.0.0.3"), sources.Next(AddressFamily.InterNetwork));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), sources.Next(AddressFamily.InterNetwork));
        Assert.Null(sources.Next(AddressFamily.InterNetworkV6));
    }

    [Fact]
    public async Task Tcp_connections_come_from_each_source_address_in_turn()
    {
        var sources = SourceAddresses.Parse("127.0.0.2-127.0.0.3");
        var seen = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            await using Stream client = await TcpTransport.ConnectAsync([IPAddress.Loopback], Port, sources, CancellationToken.None);
            seen.Add(await AcceptedFromAsync());
        }
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.2"], seen);
    }

    [Fact]
    public async Task Dotnet_sockets_are_bound_too_when_there_is_no_epoll_transport()
    {
        var sources = SourceAddresses.Parse("127.0.0.4,127.0.0.5");
        var seen = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            await using Stream client = await TcpTransport.ConnectBoundAsync([IPAddress.Loopback], Port, sources, CancellationToken.None);
            seen.Add(await AcceptedFromAsync());
        }
        Assert.Equal(["127.0.0.4", "127.0.0.5"], seen);
    }

    [Fact]
    public async Task Http_connections_take_the_sources_of_their_options()
    {
        var options = new HttpClientOptions { Sources = SourceAddresses.Parse("127.0.0.6-127.0.0.7") };
        var seen = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            using ConnectionStream connection = await ConnectionStream.ConnectAsync(
                HttpEndpoint.FromUri(new Uri($"http://127.0.0.1:{Port}/")), [IPAddress.Loopback], options, CancellationToken.None);
            seen.Add(await AcceptedFromAsync());
        }
        Assert.Equal(["127.0.0.6", "127.0.0.7"], seen);
    }

    [Fact]
    public async Task Mqtt_connects_from_the_next_source_address()
    {
        await using var session = new MqttSession(new MqttSessionOptions
        {
            Url = MqttSessionOptions.ParseUrl($"mqtt://127.0.0.1:{Port}"),
            ClientId = "vu-1",
            Sources = SourceAddresses.Parse("127.0.0.8"),
        });
        var connecting = session.ConnectAsync(CancellationToken.None).AsTask();
        using Socket accepted = await Listener.AcceptSocketAsync().WaitAsync(Bound);
        Assert.Equal("127.0.0.8", ((IPEndPoint)accepted.RemoteEndPoint!).Address.ToString());
        accepted.Close();  // no CONNACK: the attempt fails at once instead of at its timeout
        var result = await connecting.WaitAsync(Bound);
        Assert.NotEqual(Outcome.Success, result.Outcome);
    }

    private async Task<string> AcceptedFromAsync()
    {
        using Socket accepted = await Listener.AcceptSocketAsync().WaitAsync(Bound);
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address.ToString();
    }
}
