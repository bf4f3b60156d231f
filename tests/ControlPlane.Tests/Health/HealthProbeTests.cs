using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Health;

/// <summary>/healthz/live and /healthz/ready need no credentials, carry no data, and are the only endpoints that need none.</summary>
public sealed class HealthProbeTests
{
    private const string Tenant = "0a1b2c3d4e5f";

    private static Dictionary<string, string?> WithCredentials => new()
    {
        ["Auth:Credentials:0:AccessKey"] = "HPUAEXAMPLEAK0000001",
        ["Auth:Credentials:0:SecretKey"] = "s3cr3t",
        ["Auth:Credentials:0:ProjectIds:0"] = Tenant,
        ["Auth:Tokens:0:Token"] = "tok-123",
        ["Auth:Tokens:0:ProjectIds:0"] = Tenant,
    };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task With_credentials_configured_the_probes_answer_without_any_and_nothing_else_does(string provider)
    {
        var backend = await Backend.NewAsync(provider);
        await using var server = await ControlPlaneServer.StartAsync(backend.Settings(WithCredentials));

        using var live = await server.Http.GetAsync("/healthz/live");
        Assert.Equal(200, (int)live.StatusCode);
        Assert.Equal("""{"status":"live"}""", await live.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", live.Content.Headers.ContentType!.ToString());
        Assert.True(live.Headers.CacheControl!.NoStore);
        var ready = await server.Http.GetJsonAsync("/healthz/ready");
        Assert.Equal(200, ready.Status);
        Assert.Equal("""{"status":"ready"}""", ready.Text);

        Assert.Equal(401, (await server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites")).Status);
        Assert.Equal(401, (await server.Http.GetJsonAsync("/openapi/v1.json")).Status);
        Assert.Equal(401, (await server.Http.GetJsonAsync("/healthz/other")).Status);
        Assert.Equal(401, (await server.Http.PostJsonAsync("/healthz/ready", "{}")).Status);
        var token = await server.Http.SendJsonAsync(HttpMethod.Get, "/healthz/ready", configure: m => m.Headers.Add("X-Auth-Token", "wrong"));
        Assert.Equal(200, token.Status); // credentials are not looked at, not even wrong ones
    }

    [Fact]
    public async Task Only_the_probes_and_the_console_files_are_open_and_the_openapi_document_leaves_them_out()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(WithCredentials));
        var open = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText).Order(StringComparer.Ordinal);
        // The console's page and files hold no data: every figure it shows is fetched through the API (ConsoleEndpoints).
        // /metrics carries run ids and counts, no secret, and may have a port of its own (docs/observability.md).
        Assert.Equal(["/", "/console/{file}", "/healthz/live", "/healthz/ready", "/metrics"], open);
        var doc = await server.Http.SendJsonAsync(HttpMethod.Get, "/openapi/v1.json", configure: m => m.Headers.Add("X-Auth-Token", "tok-123"));
        Assert.Equal(200, doc.Status);
        Assert.DoesNotContain(doc.Object["paths"]!.AsObject(), p => p.Key.StartsWith("/healthz", StringComparison.Ordinal));
        Assert.DoesNotContain(doc.Object["paths"]!.AsObject(), p => p.Key == "/" || p.Key.StartsWith("/console/", StringComparison.Ordinal));
        Assert.DoesNotContain(doc.Object["paths"]!.AsObject(), p => p.Key == "/metrics");
    }

    [Fact]
    public async Task In_anonymous_dev_mode_the_probes_answer_too()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        Assert.Equal(200, (await server.Http.GetJsonAsync("/healthz/live")).Status);
        Assert.Equal(200, (await server.Http.GetJsonAsync("/healthz/ready")).Status);
    }

    [Fact]
    public async Task Before_the_migrations_are_applied_it_is_live_but_not_ready()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(), migrate: false);
        Assert.Equal(200, (await server.Http.GetJsonAsync("/healthz/live")).Status);
        var ready = await server.Http.GetJsonAsync("/healthz/ready");
        Assert.Equal(503, ready.Status);
        Assert.Equal("""{"status":"not ready","reason":"the schema migrations have not been applied"}""", ready.Text);
    }
}
