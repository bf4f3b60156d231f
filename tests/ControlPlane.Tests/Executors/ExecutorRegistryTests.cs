using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Hosting;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Executors;

/// <summary>
/// The registry's rules on their own, on a clock the test moves: a live executor id is not taken over from another
/// address (it may register again from its own, and another address takes it once it has missed its heartbeats);
/// a private group bound to projects is 403 to the others, before whether it has executors is told.
/// </summary>
public sealed class ExecutorRegistryTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();

    private ExecutorRegistry Registry(params GroupBinding[] groups)
    {
        var options = new ExecutorsOptions { SharedSecret = "s", HeartbeatSeconds = 2, Groups = groups.ToList() };
        return new ExecutorRegistry(new ExecutorEngine(_clock), options, ChannelTls.Load(options.Tls, "Executors:Tls"), _clock,
            NullLogger<ExecutorRegistry>.Instance);
    }

    [Fact]
    public void A_live_id_is_refused_from_another_address_naming_the_id_and_both_addresses()
    {
        using var registry = Registry();
        Assert.True(registry.TryRegister("e-1", "http://10.0.0.1:7001", 1, out _));
        Assert.False(registry.TryRegister("e-1", "http://10.0.0.2:7001", 1, out var refusal));
        Assert.Contains("executor id e-1 is alive at http://10.0.0.1:7001", refusal);
        Assert.Contains("http://10.0.0.2:7001 cannot take it over", refusal);
        Assert.Equal(["http://10.0.0.1:7001"], registry.AddressesOf(1));
    }

    [Fact]
    public void The_same_address_may_register_again_at_once_and_another_once_the_old_one_missed_three_heartbeats()
    {
        using var registry = Registry();
        Assert.True(registry.TryRegister("e-1", "http://10.0.0.1:7001", 1, out _));
        Assert.True(registry.TryRegister("e-1", "http://10.0.0.1:7001/", 2, out _));  // the same address, written with a slash
        Assert.Empty(registry.AddressesOf(1));
        Assert.Single(registry.AddressesOf(2));

        _clock.Now += TimeSpan.FromSeconds(6);  // three heartbeats of 2 s: still alive
        Assert.False(registry.TryRegister("e-1", "http://10.0.0.2:7001", 2, out _));
        _clock.Now += TimeSpan.FromTicks(1);    // past them: gone
        Assert.Empty(registry.AddressesOf(2));
        Assert.True(registry.TryRegister("e-1", "http://10.0.0.2:7001", 2, out _));
        Assert.Equal(["http://10.0.0.2:7001"], registry.AddressesOf(2));
        Assert.False(registry.Heartbeat("e-2"));
        Assert.True(registry.Heartbeat("e-1"));
    }

    [Fact]
    public void A_bound_group_is_403_to_other_projects_even_when_empty_and_an_unbound_group_is_open_to_all()
    {
        using var registry = Registry(
            new GroupBinding { ClusterId = 7, ProjectIds = ["owner"] },
            new GroupBinding { ClusterId = 7, ProjectIds = ["partner"] },
            new GroupBinding { ClusterId = 9 });
        registry.TryRegister("e-1", "http://10.0.0.1:7001", 7, out _);
        registry.TryRegister("e-2", "http://10.0.0.2:7001", 8, out _);

        Assert.Single(registry.Resolve("owner", ExecutorRegistry.Private, 7));
        Assert.Single(registry.Resolve("partner", ExecutorRegistry.Private, 7));  // entries for one group add up
        var e = Assert.Throws<ApiException>(() => registry.Resolve("stranger", ExecutorRegistry.Private, 7));
        Assert.Equal((403, ErrorCodes.Forbidden), (e.Status, e.ErrorCode));
        Assert.Equal("project stranger may not use private resource group 7: the group is bound to other projects", e.Message);
        Assert.DoesNotContain("owner", e.Message);

        Assert.Single(registry.Resolve("stranger", ExecutorRegistry.Private, 8));  // unbound: open to every project
        Assert.Equal(400, Assert.Throws<ApiException>(() => registry.Resolve("stranger", ExecutorRegistry.Private, 10)).Status);
        Assert.Equal(403, Assert.Throws<ApiException>(() => registry.Resolve("owner", ExecutorRegistry.Private, 9)).Status);  // bound to none: closed
        Assert.Single(registry.Resolve("stranger", ExecutorRegistry.Shared, 7));  // the shared group is never bound
    }

    [Fact]
    public void The_control_plane_refuses_to_start_with_Tls_configured_and_an_http_GrpcUrl_or_a_malformed_bound_project()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ControlPlaneHost.Build(
        [
            "--Executors:SharedSecret=s", "--Executors:GrpcUrl=http://127.0.0.1:5081", "--Executors:Tls:CaPath=/etc/perftest/ca.crt",
        ]));
        Assert.Equal("Executors:GrpcUrl is http://127.0.0.1:5081, but Executors:Tls is configured: the executor channel is then https:// only, " +
                     "so the shared secret never travels in clear", e.Message);

        e = Assert.Throws<InvalidOperationException>(() => ControlPlaneHost.Build(
            ["--Executors:SharedSecret=s", "--Executors:GrpcUrl=https://127.0.0.1:5081"]));
        Assert.Contains("Executors:Tls:CertificatePath and Executors:Tls:KeyPath are not set", e.Message);

        e = Assert.Throws<InvalidOperationException>(() => ControlPlaneHost.Build(
        [
            "--Executors:SharedSecret=s", "--Executors:GrpcUrl=https://127.0.0.1:5081", "--Executors:Tls:CaPath=/nonexistent/ca.crt",
        ]));
        Assert.Contains("Executors:Tls:CertificatePath and Executors:Tls:KeyPath are required", e.Message);

        e = Assert.Throws<InvalidOperationException>(() => ControlPlaneHost.Build(
            ["--Executors:Groups:0:ClusterId=7", "--Executors:Groups:0:ProjectIds:0=not a project"]));
        Assert.Contains("Executors:Groups:0:ProjectIds:0 is 'not a project'", e.Message);
    }
}
