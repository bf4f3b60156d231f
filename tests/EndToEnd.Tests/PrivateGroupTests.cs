using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// A standalone executor process joins a private resource group over gRPC, authenticated by the
/// shared secret, and runs the plans sent to that group; its report has the embedded one's shape.
/// The group is bound to the harness's project (Executors:Groups): other projects get 403.
/// </summary>
public sealed class PrivateGroupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "e2e-shared-secret";
    private const long Group = 7;
    private const long EmptyBoundGroup = 9;
    private const string OtherProject = "e2e0000other";

    /// <summary>May use the group; loopback is refused for it (Targets:Projects), so only it sees the policy refuse.</summary>
    private const string LoopbackDeniedProject = "e2e0000nolocal";
    private readonly string _grpcUrl = $"http://127.0.0.1:{ExecutorProcess.FreePort()}";
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;
    private ExecutorProcess _executor = null!;
    private RunHarness _run = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Executors:SharedSecret"] = Secret,
            ["Executors:GrpcUrl"] = _grpcUrl,
            ["Executors:HeartbeatSeconds"] = "1",
            ["Executors:Groups:0:ClusterId"] = $"{Group}",
            ["Executors:Groups:0:ProjectIds:0"] = RunHarness.Tenant,
            ["Executors:Groups:0:ProjectIds:1"] = LoopbackDeniedProject,
            ["Targets:Allow:0"] = "127.0.0.0/8",
            ["Targets:Allow:1"] = "::1",
            ["Targets:Projects:" + LoopbackDeniedProject + ":Deny:0"] = "127.0.0.0/8",
            ["Targets:Projects:" + LoopbackDeniedProject + ":Deny:1"] = "::1",
            ["Executors:Groups:1:ClusterId"] = $"{EmptyBoundGroup}",
            ["Executors:Groups:1:ProjectIds:0"] = RunHarness.Tenant,
        }));
        _run = new RunHarness(_server);
        _executor = ExecutorProcess.Start(_grpcUrl, Secret, Group, "e2e-executor-1");
        var registry = _server.App.Services.GetRequiredService<ExecutorRegistry>();
        await registry.WaitForGroupAsync(Group, 1).WaitAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        _executor.Dispose();
        await _server.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task A_run_on_the_private_group_matches_the_embedded_run_in_shape_and_counts()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 300, "pressure_mode": 0, "issue_num": 3 } ]""");
        var privateRun = await _run.StartAsync(c, "private-cluster", Group);
        await _run.WaitAsync(c);
        var privateReport = await _run.ReportAsync(privateRun, await _run.CaseRunIdAsync(c));
        Assert.Equal(300, _target.Requests);
        Assert.Equal(300, RunHarness.Performance(privateReport)["requests"]!.GetValue<long>());
        Assert.Equal(2, (await _run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());

        var sharedRun = await _run.StartAsync(c);
        await _run.WaitAsync(c);
        var sharedReport = await _run.ReportAsync(sharedRun, await _run.CaseRunIdAsync(c));
        Assert.Equal(600, _target.Requests);
        Assert.Equal(Shape(sharedReport), Shape(privateReport));
        output.WriteLine($"private tps {RunHarness.Performance(privateReport)["tps"]}, shared tps {RunHarness.Performance(sharedReport)["tps"]}");
    }

    [Fact]
    public async Task Debug_on_a_private_group_runs_on_its_executor()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 1, "pressure_mode": 0, "issue_num": 1 } ]""");
        var r = await _run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            $$"""{ "status" : 9, "cluster_id" : {{Group}}, "cluster_type" : "private-cluster", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        var exchange = Assert.Single(r.Object["result"]!.AsArray())!;
        Assert.Equal(1, exchange["result"]!.GetValue<int>());
        Assert.Equal("200 OK", exchange["statusCode"]!.GetValue<string>());
        Assert.Equal(1, _target.Requests);
        Assert.Equal("e2e-executor-1", exchange["executor"]!.GetValue<string>());  // the standalone executor, not the embedded one
    }

    /// <summary>
    /// The standalone executor enforces the policy the control plane decided for the project, carried in the plan: a
    /// name the control plane cannot judge at start (it resolves only at connect) is refused there, and nothing is sent.
    /// </summary>
    [Fact]
    public async Task Debug_on_a_private_group_refuses_a_name_resolving_to_an_address_the_project_denies()
    {
        var run = new RunHarness(_server, LoopbackDeniedProject);
        var c = await run.CreateAsync($"http://localhost:{_target.BaseAddress.Port}/ok",
            """[ { "name": "s", "operate_mode": 1, "count": 1, "pressure_mode": 0, "issue_num": 1 } ]""");
        var r = await run.Http.PostJsonAsync($"/v1/{LoopbackDeniedProject}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            $$"""{ "status" : 9, "cluster_id" : {{Group}}, "cluster_type" : "private-cluster", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        var exchange = Assert.Single(r.Object["result"]!.AsArray())!;
        Assert.Equal("e2e-executor-1", exchange["executor"]!.GetValue<string>());
        Assert.Equal(0, exchange["result"]!.GetValue<int>());
        Assert.Matches(@"^refused by the target policy: localhost resolved to (127\.0\.0\.1|::1) is on the deny list$",
            exchange["errorReason"]!.GetValue<string>());
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task An_unknown_or_empty_group_is_a_400_that_says_so()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 1, "pressure_mode": 0, "issue_num": 1 } ]""");
        var r = await _run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 8, "cluster_type": "private-cluster", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");
        Assert.Equal(400, r.Status);
        Assert.Contains("private resource group 8 has no executor", r.Object["error_msg"]!.GetValue<string>());
        r = await _run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}",
            """{ "cluster_id": 0, "cluster_type": "", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");
        Assert.Equal(400, r.Status);
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task Neither_side_takes_calls_without_the_shared_secret()
    {
        using var toControlPlane = GrpcChannel.ForAddress(_grpcUrl);
        var register = new ControlPlaneService.ControlPlaneServiceClient(toControlPlane);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await register.RegisterAsync(
            new RegisterRequest { ExecutorId = "intruder", Address = "http://127.0.0.1:1", ClusterId = Group },
            new Metadata { { "authorization", "Bearer wrong" } }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);

        var address = (await _server.App.Services.GetRequiredService<ExecutorRegistry>().AddressesOfAsync(Group)).Single();
        using var toExecutor = GrpcChannel.ForAddress(address);
        var intruder = new GrpcExecutorClient("intruder", toExecutor, "wrong");
        var plan = new RunPlan { CaseRunId = 1, Case = new CasePlan(), ExecutorCount = 1 };
        e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in intruder.RunAsync(plan, CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task A_control_plane_and_an_executor_of_different_plan_versions_refuse_each_other_naming_both()
    {
        var registry = _server.App.Services.GetRequiredService<ExecutorRegistry>();
        var auth = new Metadata { { "authorization", "Bearer " + Secret } };
        using var toControlPlane = GrpcChannel.ForAddress(_grpcUrl);
        var register = new ControlPlaneService.ControlPlaneServiceClient(toControlPlane);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await register.RegisterAsync(
            new RegisterRequest { ExecutorId = "old-executor", Address = "http://127.0.0.1:1", ClusterId = 9, PlanVersion = 1 }, auth));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("executor old-executor speaks plan version 1", e.Status.Detail);
        Assert.Contains($"this control plane speaks plan version {PlanContract.Version}", e.Status.Detail);
        Assert.Empty((await registry.AddressesOfAsync(9)));

        // The executor's side: a plan of another version is refused on its stream, naming both, and nothing runs.
        using var toExecutor = GrpcChannel.ForAddress((await registry.AddressesOfAsync(Group)).Single());
        var client = new GrpcExecutorClient("old-control-plane", toExecutor, Secret);
        var plan = new RunPlan { CaseRunId = 99, Case = new CasePlan(), ExecutorCount = 1, PlanVersion = 1 };
        var seconds = new List<SecondSnapshot>();
        await foreach (var second in client.RunAsync(plan, CancellationToken.None))
        {
            seconds.Add(second);
        }
        var final = Assert.Single(seconds);
        Assert.True(final.Final);
        Assert.Contains("the control plane speaks plan version 1", final.Error);
        Assert.Contains($"this executor speaks plan version {PlanContract.Version}", final.Error);
        Assert.Equal(0, _target.Requests);
    }

    [Fact]
    public async Task A_group_bound_to_other_projects_is_a_403_at_start_and_at_debug_while_its_own_project_runs_on_it()
    {
        var other = new RunHarness(_server, OtherProject);
        var c = await other.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 5, "pressure_mode": 0, "issue_num": 1 } ]""");
        foreach (var group in new[] { Group, EmptyBoundGroup })  // bound and empty: still 403, its emptiness not told
        {
            var start = await other.Http.PostJsonAsync($"/v1/{OtherProject}/test-suites/{c.Project}/tasks/{c.Task}",
                $$"""{ "cluster_id": {{group}}, "cluster_type": "private-cluster", "without_package": 0, "network_info": { "network_type": "internet" }, "status": 9 }""");
            AssertForbidden(start, group);
            var debug = await other.Http.PostJsonAsync($"/v1/{OtherProject}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
                $$"""{ "status" : 9, "cluster_id" : {{group}}, "cluster_type" : "private-cluster", "without_package" : 1, "type" : 1 }""");
            AssertForbidden(debug, group);
        }
        Assert.Equal(0, _target.Requests);

        // The shared group stays open to the other project; the bound group to its own.
        await other.StartAsync(c);
        await other.WaitAsync(c);
        Assert.Equal(5, _target.Requests);
        var own = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 20, "pressure_mode": 0, "issue_num": 2 } ]""");
        var taskRun = await _run.StartAsync(own, "private-cluster", Group);
        await _run.WaitAsync(own);
        var report = await _run.ReportAsync(taskRun, await _run.CaseRunIdAsync(own));
        Assert.Equal(20, RunHarness.Performance(report)["requests"]!.GetValue<long>());
        Assert.Equal(25, _target.Requests);
    }

    private static void AssertForbidden(ApiResponse r, long group)
    {
        Assert.True(r.Status == 403, r.Text);
        Assert.Equal("CPTS.04030001", r.Object["error_code"]!.GetValue<string>());
        var message = r.Object["error_msg"]!.GetValue<string>();
        Assert.Contains($"private resource group {group}", message);
        Assert.DoesNotContain(RunHarness.Tenant, message);  // the projects it is bound to are not told
    }

    [Fact]
    public async Task A_live_executor_id_is_not_taken_over_from_another_address_but_may_register_again_from_its_own()
    {
        var registry = _server.App.Services.GetRequiredService<ExecutorRegistry>();
        var address = (await registry.AddressesOfAsync(Group)).Single();
        var auth = new Metadata { { "authorization", "Bearer " + Secret } };
        using var toControlPlane = GrpcChannel.ForAddress(_grpcUrl);
        var register = new ControlPlaneService.ControlPlaneServiceClient(toControlPlane);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await register.RegisterAsync(new RegisterRequest
        {
            ExecutorId = "e2e-executor-1", Address = "http://127.0.0.1:1", ClusterId = Group, PlanVersion = PlanContract.Version,
        }, auth));
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Contains("executor id e2e-executor-1 is alive at " + address, e.Status.Detail);
        Assert.Contains("http://127.0.0.1:1 cannot take it over", e.Status.Detail);
        Assert.Equal(address, (await registry.AddressesOfAsync(Group)).Single());

        await register.RegisterAsync(new RegisterRequest
        {
            ExecutorId = "e2e-executor-1", Address = address, ClusterId = Group, PlanVersion = PlanContract.Version,
        }, auth);
        Assert.Equal(address, (await registry.AddressesOfAsync(Group)).Single());
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 10, "pressure_mode": 0, "issue_num": 1 } ]""");
        await _run.StartAsync(c, "private-cluster", Group);
        await _run.WaitAsync(c);
        Assert.Equal(10, _target.Requests);  // still the executor's own process
    }

    /// <summary>The report's structure: every member path, arrays reduced to their first element's shape.</summary>
    private static SortedSet<string> Shape(JsonNode? node, string path = "$", SortedSet<string>? into = null)
    {
        into ??= new SortedSet<string>(StringComparer.Ordinal);
        into.Add(path);
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    Shape(v, $"{path}.{k}", into);
                }
                break;
            case JsonArray a when a.Count > 0:
                Shape(a[0], path + "[]", into);
                break;
        }
        return into;
    }
}
