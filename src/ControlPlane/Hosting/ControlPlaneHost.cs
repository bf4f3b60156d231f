using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Auth;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Directories;
using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Groups;
using PerfTest.ControlPlane.Observability;
using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Reports.Rollups;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Hosting;
using PerfTest.Executor.Running;
using PerfTest.ControlPlane.Projects;
using PerfTest.ControlPlane.Quotas;
using PerfTest.ControlPlane.Storage;
using PerfTest.ControlPlane.Targets;
using PerfTest.ControlPlane.Tasks;
using PerfTest.ControlPlane.Templates;
using PerfTest.ControlPlane.Variables;
using PerfTest.ControlPlane.WebConsole;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PerfTest.ControlPlane.Hosting;

/// <summary>Builds the control plane: configuration, storage, auth, and the REST API.</summary>
public static class ControlPlaneHost
{
    /// <exception cref="InvalidOperationException">The Executors section breaks a rule (an http:// GrpcUrl with Executors:Tls, a TLS file that cannot be read...), or a Targets entry is no network or host name; the message names the key.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;
        var metrics = ObservabilityHost.Configure(builder);

        var storage = config.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        storage.PostgresConnectionString ??= config.GetConnectionString("Postgres");
        var auth = config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        var maxBody = config.GetValue("Api:MaxBodyBytes", Limits.DefaultMaxBodyBytes);
        var executors = config.GetSection("Executors").Get<ExecutorsOptions>() ?? new ExecutorsOptions();
        GrpcEndpoint.Check(executors);
        var targets = new TargetPolicies(config.GetSection("Targets").Get<TargetsOptions>() ?? new TargetsOptions(),
            anonymousDevMode: !auth.HasAnyCredential);
        var executorTls = ChannelTls.Load(executors.Tls, "Executors:Tls");

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = maxBody;
            GrpcEndpoint.Configure(k, executors, executorTls, config["Urls"]);
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<SignatureReplayGuard>();
        builder.Services.AddSingleton<SdkSignatureVerifier>();
        builder.Services.AddSingleton<ProjectStore>();
        builder.Services.AddSingleton<TaskStore>();
        builder.Services.AddSingleton<CaseStore>();
        builder.Services.AddSingleton<DirectoryStore>();
        builder.Services.AddSingleton<VariableStore>();
        builder.Services.AddSingleton<TemplateStore>();
        builder.Services.AddSingleton(executors);
        builder.Services.AddSingleton(executorTls);
        builder.Services.AddSingleton(targets);
        builder.Services.AddSingleton<ExecutorEngine>();
        builder.Services.AddHostedService<WarmUpService>();
        builder.Services.AddSingleton<ExecutorStore>();
        builder.Services.AddSingleton<ExecutorRegistry>();
        builder.Services.AddHostedService<ExecutorJanitor>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<RollupStore>();
        builder.Services.AddSingleton<RunRoller>();
        builder.Services.AddSingleton<RollupReader>();
        builder.Services.AddHostedService<RollupService>();
        builder.Services.AddSingleton(config.GetSection("Runs").Get<RunsOptions>() ?? new RunsOptions());
        builder.Services.AddSingleton(config.GetSection("Debug").Get<DebugOptions>() ?? new DebugOptions());
        builder.Services.AddSingleton<RunLeaseStore>();
        builder.Services.AddSingleton(config.GetSection("Limits").Get<QuotaOptions>() ?? new QuotaOptions());
        builder.Services.AddSingleton<CaseQuota>();
        builder.Services.AddSingleton<RunQuota>();
        builder.Services.AddSingleton<GroupChangeStore>();
        builder.Services.AddSingleton<KeyDeclarations>();
        builder.Services.AddSingleton<GroupServices>();
        builder.Services.AddSingleton<RunCoordinator>();
        // TryAdd: a test may bring its own console files (the configure callback runs first).
        builder.Services.TryAddSingleton<IConsoleAssets, EmbeddedConsoleAssets>();
        builder.Services.AddSingleton<ConsoleIdentity>();
        builder.Services.AddSingleton<PercentileCurve>();
        builder.Services.AddSingleton<ConsoleReportBuilder>();
        builder.Services.AddHostedService<RunLeaseService>();
        builder.Services.AddGrpc(o => o.Interceptors.Add<SharedSecretInterceptor>(executors.SharedSecret));
        builder.Services.AddOpenApi(OpenApiTransformers.Register);

        var app = builder.Build();
        ObservabilityHost.UseMetricsPort(app, metrics);
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseRouting();
        app.UseWhen(c => !GrpcEndpoint.IsGrpc(c), branch => branch.UseMiddleware<ApiAuthMiddleware>());
        app.MapOpenApi("/openapi/{documentName}.json");
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.MapHealthProbes(context => readiness.NotReadyAsync(context.RequestAborted));
        ObservabilityHost.MapMetrics(app, metrics);
        ProjectEndpoints.Map(app);
        TaskEndpoints.Map(app);
        CaseEndpoints.Map(app);
        DirectoryEndpoints.Map(app);
        VariableEndpoints.Map(app);
        TemplateEndpoints.Map(app);
        RunEndpoints.Map(app);
        DebugEndpoints.Map(app);
        StageLevelEndpoints.Map(app);
        ReportEndpoints.Map(app);
        ConsoleEndpoints.Map(app);
        GrpcEndpoint.Map(app, executors);

        app.Lifetime.ApplicationStarted.Register(() => CheckExposure(app, auth, metrics));
        return app;
    }

    /// <summary>Applies the schema migrations; call before the app starts taking requests.</summary>
    public static async Task MigrateAsync(WebApplication app)
    {
        // Runs that were active when a control plane stopped are taken over (RunLeaseService), not marked ended here.
        await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync();
    }

    /// <summary>
    /// A credential with a blank secret or token would open the API to anyone, so the service refuses to run
    /// with one. Without credentials the API is open to anyone who can reach it, so it may only listen on
    /// loopback. Bound anywhere else, the service refuses to run.
    /// </summary>
    /// <param name="app">The service.</param>
    /// <param name="auth">Its credentials.</param>
    /// <param name="metrics">The metrics port, which serves /metrics only, may listen anywhere (docs/observability.md).</param>
    private static void CheckExposure(WebApplication app, AuthOptions auth, MetricsOptions metrics)
    {
        var blank = auth.BlankEntries();
        if (blank.Count > 0)
        {
            RefuseToRun(app, $"{string.Join(", ", blank)} is empty or blank. A blank access key, secret key or token would let anyone in: " +
                "set every configured credential, or remove the entry. Refusing to run.");
            return;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (auth.HasAnyCredential)
        {
            app.Logger.LogInformation("Listening on {Addresses}; requests must be signed (AK/SK) or carry X-Auth-Token",
                string.Join(", ", addresses));
            return;
        }
        var exposed = addresses.Where(a => !ListenAddress.IsLoopback(a) && !ObservabilityHost.IsMetricsAddress(metrics, a)).ToList();
        if (exposed.Count > 0)
        {
            RefuseToRun(app, $"No credentials are configured (Auth:Credentials, Auth:Tokens) and the service listens on {string.Join(", ", exposed)}, " +
                "which is not loopback only. Refusing to run: configure credentials or listen on 127.0.0.1/::1 only.");
            return;
        }
        app.Logger.LogWarning("No credentials configured: anonymous dev mode, API open on loopback only ({Addresses})",
            string.Join(", ", addresses));
    }

    /// <summary>Logs why, sets exit code 2 (Program.cs returns it) and stops.</summary>
    private static void RefuseToRun(WebApplication app, string reason)
    {
        app.Logger.LogCritical("{Reason}", reason);
        Environment.ExitCode = 2;
        app.Lifetime.StopApplication();
    }
}
