using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Health;

/// <summary>
/// PostgreSQL goes away under a running control plane and comes back: meanwhile every API call that needs the store
/// is 503 with the documented error body and readiness is 503 (liveness stays 200); afterwards the same process
/// answers again, with everything stored before still there. The cluster is the test's own, so stopping it
/// disturbs nobody.
/// </summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    private const string Tenant = "0a1b2c3d4e5f";
    private ThrowawayPostgres _postgres = null!;
    private ControlPlaneServer _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await ThrowawayPostgres.StartAsync();
        _server = await ControlPlaneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _postgres.ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Without_postgres_the_api_is_503_and_not_ready_and_once_it_is_back_everything_stored_is_there()
    {
        var created = await _server.Http.PostJsonAsync($"/v1/{Tenant}/test-suites", DocExamples.CreateProject);
        Assert.True(created.Status == 201, created.Text);
        var id = created.Object["project_id"]!.GetValue<long>();
        await AssertReadyAsync();

        await _postgres.StopImmediatelyAsync();

        AssertUnavailable(await _server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites/{id}"));
        AssertUnavailable(await _server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites?offset=0&limit=10"));
        AssertUnavailable(await _server.Http.PostJsonAsync($"/v1/{Tenant}/test-suites", """{ "name" : "while down" }"""));
        AssertUnavailable(await _server.Http.PutJsonAsync($"/v1/{Tenant}/test-suites/{id}", DocExamples.UpdateProject.With(id)));
        AssertUnavailable(await _server.Http.DeleteAsync2($"/v1/{Tenant}/test-suites/{id}"));
        var ready = await _server.Http.GetJsonAsync("/healthz/ready");
        Assert.Equal(503, ready.Status);
        Assert.Equal("not ready", ready.Object["status"]!.GetValue<string>());
        var reason = ready.Object["reason"]!.GetValue<string>();
        Assert.StartsWith("the database is unreachable: ", reason);
        AssertNamesNoConnectionDetail(reason);
        var live = await _server.Http.GetJsonAsync("/healthz/live");
        Assert.Equal(200, live.Status);
        Assert.Equal("""{"status":"live"}""", live.Text);

        await _postgres.StartAgainAsync();

        await AssertReadyAsync();
        var shown = await _server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites/{id}");
        Assert.True(shown.Status == 200, shown.Text);
        Assert.Equal("createProjectTest", shown.Object["project"]!["name"]!.GetValue<string>());
        var listed = await _server.Http.GetJsonAsync($"/v1/{Tenant}/test-suites?offset=0&limit=10");
        Assert.Equal(200, listed.Status);
        var project = Assert.Single(listed.Object["projects"]!.AsArray());
        Assert.Equal(id, project!["id"]!.GetValue<long>());
        Assert.Equal(201, (await _server.Http.PostJsonAsync($"/v1/{Tenant}/test-suites", """{ "name" : "after" }""")).Status);
    }

    private async Task AssertReadyAsync()
    {
        var ready = await _server.Http.GetJsonAsync("/healthz/ready");
        Assert.True(ready.Status == 200, ready.Text);
        Assert.Equal("""{"status":"ready"}""", ready.Text);
    }

    private void AssertUnavailable(ApiResponse response)
    {
        Assert.True(response.Status == 503, $"{response.Status} {response.Text}");
        Assert.Equal(ErrorCodes.StoreUnavailable, response.Object["error_code"]!.GetValue<string>());
        var message = response.Object["error_msg"]!.GetValue<string>();
        Assert.StartsWith("the database is unreachable: ", message);
        AssertNamesNoConnectionDetail(message);
        Assert.Equal(2, response.Object.Count);
    }

    private void AssertNamesNoConnectionDetail(string text)
    {
        var port = new Npgsql.NpgsqlConnectionStringBuilder(_postgres.ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(port, text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", text, StringComparison.OrdinalIgnoreCase);
    }
}
