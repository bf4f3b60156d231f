using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// The executor channel over mutual TLS in both directions, with certificates made by the test's own CA: the control
/// plane's registration listener and the executor's listener serve HTTPS, each requires the other's client
/// certificate, and each trusts the other through Tls:CaPath. A standalone executor process runs plans over it; an
/// executor that does not trust the CA, has no client certificate, has one from another CA, or has the wrong secret,
/// is refused, and the refusal is logged with its reason (never the secret).
/// </summary>
public sealed class PrivateGroupTlsTests(PrivateGroupTlsTests.Fixture tls) : IClassFixture<PrivateGroupTlsTests.Fixture>
{
    private const string Secret = "e2e-tls-shared-secret";
    private const long Group = 7;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    /// <summary>A control plane on TLS and one executor of group 7 that joined it over TLS, shared by the tests.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestPki Pki { get; } = new("perftest-e2e-ca");
        public TestPki OtherPki { get; } = new("perftest-e2e-other-ca");
        public LogSink ControlPlaneLogs { get; } = new();
        public string GrpcUrl { get; } = $"https://127.0.0.1:{ExecutorProcess.FreePort()}";
        public (string CertificatePath, string KeyPath) ControlPlaneCertificate { get; private set; }
        public (string CertificatePath, string KeyPath) ExecutorCertificate { get; private set; }
        public ControlPlaneServer Server { get; private set; } = null!;
        public TargetServer Target { get; private set; } = null!;
        public ExecutorProcess Executor { get; private set; } = null!;
        public RunHarness Run { get; private set; } = null!;
        public ExecutorRegistry Registry => Server.App.Services.GetRequiredService<ExecutorRegistry>();

        public async Task InitializeAsync()
        {
            ControlPlaneCertificate = Pki.Issue("control-plane");
            ExecutorCertificate = Pki.Issue("executor");
            Target = await TargetServer.StartAsync();
            Server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
            {
                ["Executors:SharedSecret"] = Secret,
                ["Executors:GrpcUrl"] = GrpcUrl,
                ["Executors:HeartbeatSeconds"] = "1",
                ["Executors:Tls:CertificatePath"] = ControlPlaneCertificate.CertificatePath,
                ["Executors:Tls:KeyPath"] = ControlPlaneCertificate.KeyPath,
                ["Executors:Tls:CaPath"] = Pki.CaPath,
                ["Executors:Tls:RequireClientCertificate"] = "true",
                ["Executors:Tls:ClientCertificatePath"] = ControlPlaneCertificate.CertificatePath,
                ["Executors:Tls:ClientKeyPath"] = ControlPlaneCertificate.KeyPath,
            }), logs: ControlPlaneLogs);
            Run = new RunHarness(Server);
            Executor = StartExecutor(Group, "e2e-tls-executor", ExecutorTls(ExecutorCertificate, Pki.CaPath, ExecutorCertificate));
            try
            {
                await Registry.WaitForGroupAsync(Group, 1).WaitAsync(Hang);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"the executor did not join; its output:\n{Executor.Output}\ncontrol plane:\n{ControlPlaneLogs.Log}", e);
            }
        }

        public ExecutorProcess StartExecutor(long group, string id, IEnumerable<string> tls, string secret = Secret) =>
            ExecutorProcess.Start(GrpcUrl, secret, group, id, tls, scheme: "https");

        /// <summary>An executor's Executor:Tls arguments; its listener requires client certificates when it has a CA.</summary>
        public static IEnumerable<string> ExecutorTls((string CertificatePath, string KeyPath) certificate, string? caPath,
            (string CertificatePath, string KeyPath)? client)
        {
            yield return $"--Executor:Tls:CertificatePath={certificate.CertificatePath}";
            yield return $"--Executor:Tls:KeyPath={certificate.KeyPath}";
            if (caPath is not null)
            {
                yield return $"--Executor:Tls:CaPath={caPath}";
                yield return "--Executor:Tls:RequireClientCertificate=true";
            }
            if (client is { } c)
            {
                yield return $"--Executor:Tls:ClientCertificatePath={c.CertificatePath}";
                yield return $"--Executor:Tls:ClientKeyPath={c.KeyPath}";
            }
        }

        public async Task DisposeAsync()
        {
            Executor.Dispose();
            await Server.DisposeAsync();
            await Target.DisposeAsync();
            Pki.Dispose();
            OtherPki.Dispose();
        }
    }

    [Fact]
    public async Task A_run_and_a_debug_on_the_private_group_go_over_mutual_TLS_and_count_what_the_target_saw()
    {
        Assert.StartsWith("https://127.0.0.1:", (await tls.Registry.AddressesOfAsync(Group)).Single());
        var before = tls.Target.Requests;
        var c = await tls.Run.CreateAsync(new Uri(tls.Target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 200, "pressure_mode": 0, "issue_num": 2 } ]""");
        var taskRun = await tls.Run.StartAsync(c, "private-cluster", Group);
        await tls.Run.WaitAsync(c);
        var report = await tls.Run.ReportAsync(taskRun, await tls.Run.CaseRunIdAsync(c));
        Assert.Equal(200, tls.Target.Requests - before);
        Assert.Equal(200, RunHarness.Performance(report)["requests"]!.GetValue<long>());
        Assert.Equal(2, (await tls.Run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());

        var r = await tls.Run.Http.PostJsonAsync($"/v1/{RunHarness.Tenant}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            $$"""{ "status" : 9, "cluster_id" : {{Group}}, "cluster_type" : "private-cluster", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        Assert.Equal("e2e-tls-executor", r.Object["result"]![0]!["executor"]!.GetValue<string>());
        Assert.Equal(201, tls.Target.Requests - before);
    }

    [Fact]
    public async Task An_executor_that_does_not_trust_the_CA_refuses_the_control_plane_and_says_why()
    {
        const long group = 11;
        using var executor = tls.StartExecutor(group, "e2e-no-ca", Fixture.ExecutorTls(tls.ExecutorCertificate, null, tls.ExecutorCertificate));
        var refusal = await executor.Output.WaitForAsync(l => l.Contains($"Refused the TLS certificate of {tls.GrpcUrl}")).WaitAsync(Hang);
        Assert.Contains("'CN=control-plane' is not trusted by the system store", refusal);
        Assert.Empty((await tls.Registry.AddressesOfAsync(group)));
    }

    [Fact]
    public async Task An_executor_without_a_client_certificate_is_refused_and_the_control_plane_logs_the_peer_and_the_reason()
    {
        const long group = 12;
        using var executor = tls.StartExecutor(group, "e2e-no-client-cert", Fixture.ExecutorTls(tls.ExecutorCertificate, tls.Pki.CaPath, null));
        var refusal = await tls.ControlPlaneLogs.Log.WaitForAsync(l => l.Contains("it presented no client certificate")).WaitAsync(Hang);
        Assert.Contains("Refused a TLS connection from 127.0.0.1:", refusal);
        await executor.Output.WaitForAsync(l => l.Contains($"The call to the control plane at {tls.GrpcUrl} failed")).WaitAsync(Hang);
        Assert.Empty((await tls.Registry.AddressesOfAsync(group)));
    }

    [Fact]
    public async Task An_executor_whose_certificate_comes_from_another_CA_is_refused_and_logged()
    {
        const long group = 13;
        var foreign = tls.OtherPki.Issue("foreign-executor");
        using var executor = tls.StartExecutor(group, "e2e-foreign", Fixture.ExecutorTls(foreign, tls.Pki.CaPath, foreign));
        var refusal = await tls.ControlPlaneLogs.Log.WaitForAsync(l => l.Contains("'CN=foreign-executor'")).WaitAsync(Hang);
        Assert.Contains("Refused a TLS connection from 127.0.0.1:", refusal);
        Assert.Contains("does not chain to a CA of Executors:Tls:CaPath", refusal);
        await executor.Output.WaitForAsync(l => l.Contains($"The call to the control plane at {tls.GrpcUrl} failed")).WaitAsync(Hang);
        Assert.Empty((await tls.Registry.AddressesOfAsync(group)));
    }

    [Fact]
    public async Task An_executor_with_the_wrong_secret_is_refused_over_TLS_and_both_sides_log_why_without_the_secret()
    {
        const long group = 14;
        const string wrong = "e2e-not-the-secret";
        using var executor = tls.StartExecutor(group, "e2e-wrong-secret",
            Fixture.ExecutorTls(tls.ExecutorCertificate, tls.Pki.CaPath, tls.ExecutorCertificate), secret: wrong);
        var refusal = await tls.ControlPlaneLogs.Log.WaitForAsync(l => l.Contains("ControlPlaneService/Register from")).WaitAsync(Hang);
        Assert.Contains("from ipv4:127.0.0.1:", refusal);
        Assert.Contains("the Bearer secret does not match", refusal);
        var logged = await executor.Output.WaitForAsync(l => l.Contains($"The control plane at {tls.GrpcUrl} refused this executor")).WaitAsync(Hang);
        Assert.Contains("the shared secret is missing or wrong", logged);
        Assert.Empty((await tls.Registry.AddressesOfAsync(group)));
        Assert.DoesNotContain(tls.ControlPlaneLogs.Log.Lines.Concat(executor.Output.Lines), l => l.Contains(wrong) || l.Contains(Secret));
    }

    [Fact]
    public async Task The_executor_refuses_a_caller_without_a_client_certificate_and_logs_it()
    {
        var noClientCertificate = ChannelTls.Load(new TlsOptions
        {
            CertificatePath = tls.ControlPlaneCertificate.CertificatePath, KeyPath = tls.ControlPlaneCertificate.KeyPath, CaPath = tls.Pki.CaPath,
        }, "Executors:Tls");
        using var channel = noClientCertificate.CreateChannel((await tls.Registry.AddressesOfAsync(Group)).Single(), NullLogger.Instance);
        var client = new GrpcExecutorClient("no-client-certificate", channel, Secret);
        var e = await Assert.ThrowsAsync<RpcException>(() => client.StopAsync(1, CancellationToken.None));
        Assert.NotEqual(StatusCode.OK, e.StatusCode);
        var refusal = await tls.Executor.Output.WaitForAsync(l => l.Contains("it presented no client certificate")).WaitAsync(Hang);
        Assert.Contains("Refused a TLS connection from 127.0.0.1:", refusal);
    }

    [Fact]
    public async Task A_registration_advertising_an_http_address_is_refused_while_TLS_is_on()
    {
        var options = new TlsOptions
        {
            CertificatePath = tls.ExecutorCertificate.CertificatePath, KeyPath = tls.ExecutorCertificate.KeyPath, CaPath = tls.Pki.CaPath,
            ClientCertificatePath = tls.ExecutorCertificate.CertificatePath, ClientKeyPath = tls.ExecutorCertificate.KeyPath,
        };
        using var channel = ChannelTls.Load(options, "Executor:Tls").CreateChannel(tls.GrpcUrl, NullLogger.Instance);
        var register = new ControlPlaneService.ControlPlaneServiceClient(channel);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await register.RegisterAsync(
            new RegisterRequest { ExecutorId = "e2e-clear", Address = "http://127.0.0.1:1", ClusterId = 15, PlanVersion = PlanContract.Version },
            new Metadata { { "authorization", "Bearer " + Secret } }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("the address of executor e2e-clear is http://127.0.0.1:1, but Executors:Tls is configured", e.Status.Detail);
        Assert.Empty((await tls.Registry.AddressesOfAsync(15)));
    }
}
