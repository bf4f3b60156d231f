using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Hosting;
using PerfTest.ControlPlane.Storage;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Executors;

/// <summary>
/// The registry's rules on their own, on a clock the test moves, over a real SQLite database (the registrations live
/// there, shared by every replica): a live executor id is not taken over from another address (it may register again
/// from its own, and another address takes it once it has missed its heartbeats); one that left is out of its group;
/// a private group bound to projects is 403 to the others, before whether it has executors is told.
/// </summary>
public sealed class ExecutorRegistryTests : IAsyncLifetime, IDisposable
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();
    private readonly Database _db = new(new StorageOptions
    {
        SqlitePath = Path.Combine(Path.GetTempPath(), "perftest-tests", Guid.NewGuid().ToString("N"), "perftest.db"),
    });

    public Task InitializeAsync() => new MigrationRunner(_db, NullLogger<MigrationRunner>.Instance).ApplyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _db.Dispose();

    private ExecutorRegistry Registry(params GroupBinding[] groups)
    {
        var options = new ExecutorsOptions { SharedSecret = "s", HeartbeatSeconds = 2, Groups = groups.ToList() };
        return new ExecutorRegistry(new ExecutorEngine(_clock), new ExecutorStore(_db), options, ChannelTls.Load(options.Tls, "Executors:Tls"),
            _clock, NullLogger<ExecutorRegistry>.Instance);
    }

    [Fact]
    public async Task A_live_id_is_refused_from_another_address_naming_the_id_and_both_addresses()
    {
        using var registry = Registry();
        Assert.Null(await registry.TryRegisterAsync("e-1", "http://10.0.0.1:7001", 1, []));
        var refusal = await registry.TryRegisterAsync("e-1", "http://10.0.0.2:7001", 1, []);
        Assert.Contains("executor id e-1 is alive at http://10.0.0.1:7001", refusal);
        Assert.Contains("http://10.0.0.2:7001 cannot take it over", refusal);
        Assert.Equal(["http://10.0.0.1:7001"], await registry.AddressesOfAsync(1));
    }

    [Fact]
    public async Task The_same_address_may_register_again_at_once_and_another_once_the_old_one_missed_three_heartbeats()
    {
        using var registry = Registry();
        Assert.Null(await registry.TryRegisterAsync("e-1", "http://10.0.0.1:7001", 1, []));
        Assert.Null(await registry.TryRegisterAsync("e-1", "http://10.0.0.1:7001/", 2, []));  // the same address, written with a slash
        Assert.Empty(await registry.AddressesOfAsync(1));
        Assert.Single(await registry.AddressesOfAsync(2));

        _clock.Now += TimeSpan.FromSeconds(6);  // three heartbeats of 2 s: still alive
        Assert.NotNull(await registry.TryRegisterAsync("e-1", "http://10.0.0.2:7001", 2, []));
        _clock.Now += TimeSpan.FromTicks(10);   // past them: gone
        Assert.Empty(await registry.AddressesOfAsync(2));
        Assert.Null(await registry.TryRegisterAsync("e-1", "http://10.0.0.2:7001", 2, [41, 42]));
        Assert.Equal(["http://10.0.0.2:7001"], await registry.AddressesOfAsync(2));
        Assert.False(await registry.HeartbeatAsync("e-2", []));
        Assert.True(await registry.HeartbeatAsync("e-1", [42]));
        Assert.Equal([42L], (await registry.LiveAsync(2)).Single().RunningCaseRuns);
    }

    [Fact]
    public async Task An_executor_that_left_is_out_of_its_group_until_it_registers_again_and_groups_list_by_id()
    {
        using var registry = Registry();
        await registry.TryRegisterAsync("e-b", "http://10.0.0.2:7001", 1, []);
        await registry.TryRegisterAsync("e-a", "http://10.0.0.1:7001", 1, []);
        Assert.Equal(["e-a", "e-b"], (await registry.LiveAsync(1)).Select(e => e.Id));

        await registry.LeaveAsync("e-a");
        Assert.True(await registry.HasLeftAsync("e-a"));
        Assert.False(await registry.HasLeftAsync("e-b"));
        Assert.Equal(["e-b"], (await registry.LiveAsync(1)).Select(e => e.Id));
        Assert.False(await registry.HeartbeatAsync("e-a", []));  // it registers again: a new pod with the same name joins anew

        Assert.Null(await registry.TryRegisterAsync("e-a", "http://10.0.0.1:7001", 1, []));
        Assert.False(await registry.HasLeftAsync("e-a"));
        Assert.Equal(["e-a", "e-b"], (await registry.LiveAsync(1)).Select(e => e.Id));
    }

    [Fact]
    public async Task Executors_gone_past_their_heartbeats_and_a_minute_lose_their_channels_and_after_a_day_their_registration()
    {
        using var registry = Registry();
        await registry.TryRegisterAsync("e-silent", "http://10.0.0.1:7001", 1, []);
        await registry.TryRegisterAsync("e-left", "http://10.0.0.2:7001", 1, []);
        await registry.TryRegisterAsync("e-alive", "http://10.0.0.3:7001", 1, []);
        Assert.Equal(3, (await registry.LiveAsync(1)).Count);  // a channel each (none is connected until called)
        Assert.Equal(3, registry.OpenChannels);
        await registry.LeaveAsync("e-left");

        _clock.Now += registry.DropAfter;  // exactly then: kept (its streams may have just ended)
        await registry.TryRegisterAsync("e-alive", "http://10.0.0.3:7001", 1, []);  // seen again (as a heartbeat would)
        Assert.Empty(await registry.DropGoneAsync());
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(["e-left", "e-silent"], (await registry.DropGoneAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(1, registry.OpenChannels);
        Assert.Equal(["e-alive"], (await registry.LiveAsync(1)).Select(e => e.Id));

        // Still known (a takeover may stop a plan it ran) until a day has passed; then its id is free and unknown.
        Assert.NotNull(await registry.KnownAsync("e-silent"));
        _clock.Now += ExecutorRegistry.ForgetAfter;
        await registry.TryRegisterAsync("e-alive", "http://10.0.0.3:7001", 1, []);
        await registry.DropGoneAsync();
        Assert.Null(await registry.KnownAsync("e-silent"));
        Assert.Null(await registry.KnownAsync("e-left"));
        Assert.NotNull(await registry.KnownAsync("e-alive"));
    }

    [Fact]
    public async Task A_bound_group_is_403_to_other_projects_even_when_empty_and_an_unbound_group_is_open_to_all()
    {
        using var registry = Registry(
            new GroupBinding { ClusterId = 7, ProjectIds = ["owner"] },
            new GroupBinding { ClusterId = 7, ProjectIds = ["partner"] },
            new GroupBinding { ClusterId = 9 });
        await registry.TryRegisterAsync("e-1", "http://10.0.0.1:7001", 7, []);
        await registry.TryRegisterAsync("e-2", "http://10.0.0.2:7001", 8, []);

        Assert.Single(await registry.ResolveAsync("owner", ExecutorRegistry.Private, 7));
        Assert.Single(await registry.ResolveAsync("partner", ExecutorRegistry.Private, 7));  // entries for one group add up
        var e = await Assert.ThrowsAsync<ApiException>(() => registry.ResolveAsync("stranger", ExecutorRegistry.Private, 7));
        Assert.Equal((403, ErrorCodes.Forbidden), (e.Status, e.ErrorCode));
        Assert.Equal("project stranger may not use private resource group 7: the group is bound to other projects", e.Message);
        Assert.DoesNotContain("owner", e.Message);

        Assert.Single(await registry.ResolveAsync("stranger", ExecutorRegistry.Private, 8));  // unbound: open to every project
        Assert.Equal(400, (await Assert.ThrowsAsync<ApiException>(() => registry.ResolveAsync("stranger", ExecutorRegistry.Private, 10))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<ApiException>(() => registry.ResolveAsync("owner", ExecutorRegistry.Private, 9))).Status);  // bound to none: closed
        Assert.Single(await registry.ResolveAsync("stranger", ExecutorRegistry.Shared, 7));  // the shared group is never bound
    }

    [Theory]
    [InlineData("--Targets:Allow:0=not a target!", "Targets:Allow")]
    [InlineData("--Targets:Deny:0=10.0.0.0/33", "Targets:Deny")]
    [InlineData("--Targets:Projects:p1:Allow:0=not a target!", "Targets:Projects:p1:Allow")]
    [InlineData("--Targets:Projects:p1:Deny:0=10.0.0.0/33", "Targets:Projects:p1:Deny")]
    public void The_control_plane_refuses_to_start_with_a_target_entry_that_is_no_network_address_or_name_naming_its_key(string entry, string key)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ControlPlaneHost.Build([entry]));
        Assert.StartsWith(key + ":", e.Message);
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
