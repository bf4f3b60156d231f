using System.Net;
using PerfTest.Protocols.Targets;

namespace PerfTest.Protocols.Tests.Targets;

/// <summary>The target policy's judgement of addresses and names: arithmetic only, nothing here connects anywhere.</summary>
public sealed class TargetPolicyTests
{
    private static TargetPolicy Policy(string[] allow, string[] deny) => new(TargetList.Parse(allow), TargetList.Parse(deny));

    private static readonly TargetPolicy AllowEverything = Policy(["0.0.0.0/0", "::/0", "169.254.0.0/16", "fe80::/10", "fd00:ec2::254", "100.100.100.200"], []);

    [Theory]
    [InlineData("169.254.169.254", "169.254.169.254 is link-local")]
    [InlineData("169.254.0.23", "169.254.0.23 is link-local")]
    [InlineData("fe80::1", "fe80::1 is link-local")]
    [InlineData("fd00:ec2::254", "fd00:ec2::254 is a cloud metadata address")]
    [InlineData("100.100.100.200", "100.100.100.200 is a cloud metadata address")]
    [InlineData("168.63.129.16", "168.63.129.16 is a cloud metadata address")]
    [InlineData("::ffff:169.254.169.254", "::ffff:169.254.169.254 is link-local")]
    [InlineData("64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe is link-local")]
    public void Link_local_and_metadata_addresses_are_refused_whatever_allow_says(string address, string refusal)
    {
        Assert.Equal(refusal, AllowEverything.RefusalOf(IPAddress.Parse(address), null));
        Assert.Equal(refusal, TargetPolicy.Default.RefusalOf(IPAddress.Parse(address), null));
        Assert.Equal(refusal, TargetPolicy.Unrestricted.RefusalOf(IPAddress.Parse(address), null));
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("0.0.0.0", "unspecified (this host)")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.31.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("fd12::1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    public void Loopback_private_and_special_addresses_are_refused_unless_allowed(string address, string kind)
    {
        var ip = IPAddress.Parse(address);
        Assert.Equal($"{address} is {kind} and not allowed", TargetPolicy.Default.RefusalOf(ip, null));
        Assert.Null(AllowEverything.RefusalOf(ip, null));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed_by_default(string address) =>
        Assert.Null(TargetPolicy.Default.RefusalOf(IPAddress.Parse(address), null));

    [Fact]
    public void Deny_wins_over_allow_for_networks_and_names()
    {
        var policy = Policy(["127.0.0.0/8", "db.internal"], ["127.0.0.2", "*.secret.internal", "8.8.0.0/16"]);
        Assert.Null(policy.RefusalOf(IPAddress.Parse("127.0.0.1"), null));
        Assert.Equal("127.0.0.2 is on the deny list", policy.RefusalOf(IPAddress.Parse("127.0.0.2"), null));
        Assert.Equal("8.8.8.8 is on the deny list", policy.RefusalOf(IPAddress.Parse("8.8.8.8"), null));
        // An allowed name may resolve to a private address; a denied name is refused wherever it points.
        Assert.Null(policy.RefusalOf(IPAddress.Parse("10.0.0.5"), "db.internal"));
        Assert.Equal("127.0.0.1 is on the deny list", policy.RefusalOf(IPAddress.Parse("127.0.0.1"), "a.secret.internal"));
        Assert.Equal("a.secret.internal is on the deny list", policy.RefusalOfHost("a.secret.internal"));
        Assert.Null(policy.RefusalOfHost("secret.internal"));  // *.name is the names below it, not the name itself
        Assert.Equal("127.0.0.2 is on the deny list", policy.RefusalOfHost("127.0.0.2"));
        Assert.Equal("::1 is loopback and not allowed", policy.RefusalOfHost("[::1]"));
    }

    [Fact]
    public void Permit_keeps_the_permitted_addresses_in_order_and_refuses_when_none_is_left()
    {
        var policy = Policy(["::1"], []);
        Assert.Equal([IPAddress.IPv6Loopback], policy.Permit("localhost", [IPAddress.Loopback, IPAddress.IPv6Loopback]));
        var refused = Assert.Throws<TargetRefusedException>(() => TargetPolicy.Default.Permit("localhost", [IPAddress.Loopback]));
        Assert.Equal("refused by the target policy: localhost resolved to 127.0.0.1 is loopback and not allowed", refused.Message);
        var literal = Assert.Throws<TargetRefusedException>(() => TargetPolicy.Default.Permit("169.254.169.254", [IPAddress.Parse("169.254.169.254")]));
        Assert.Equal("169.254.169.254 is link-local", literal.Reason);
    }

    [Fact]
    public void A_reporting_policy_tells_every_refusal()
    {
        var reasons = new List<string>();
        var policy = TargetPolicy.Default.Reporting(reasons.Add);
        Assert.Throws<TargetRefusedException>(() => policy.Permit("localhost", [IPAddress.Loopback]));
        Assert.Equal(["localhost resolved to 127.0.0.1 is loopback and not allowed"], reasons);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("http://example.com")]
    [InlineData("fe80::1%eth0")]
    [InlineData("exa mple.com")]
    public void An_entry_that_is_neither_a_network_nor_a_name_is_refused_naming_it(string entry)
    {
        var error = Assert.Throws<FormatException>(() => TargetList.Parse([entry]));
        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
    }
}
