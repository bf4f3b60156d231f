using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>In anonymous dev mode the console may use any project id; it is offered those that have projects.</summary>
public sealed class ConsoleIdentityTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task In_dev_mode_the_caller_is_anonymous_and_offered_the_project_ids_that_have_projects(string provider)
    {
        await using var server = await ControlPlaneServer.StartAsync((await Backend.NewAsync(provider)).Settings());
        Assert.Equal("""{"caller":"anonymous","any_project":true,"project_ids":[]}""",
            (await server.Http.GetJsonAsync("/console/api/identity")).Text);

        foreach (var tenant in new[] { "zeta", "alpha", "zeta", "m-1" })
        {
            Assert.Equal(201, (await server.Http.PostJsonAsync($"/v1/{tenant}/test-suites", """{"name":"p"}""")).Status);
        }

        var r = await server.Http.GetJsonAsync("/console/api/identity");
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"caller":"anonymous","any_project":true,"project_ids":["alpha","m-1","zeta"]}""", r.Text);
        Assert.Equal(404, (await server.Http.GetJsonAsync("/v1/alpha/console/task-runs/1")).Status);
    }

    [Fact]
    public async Task In_dev_mode_a_cross_site_request_for_the_identity_is_refused()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());

        var r = await server.Http.SendJsonAsync(HttpMethod.Get, "/console/api/identity", configure: m => m.Headers.Add("Sec-Fetch-Site", "cross-site"));

        Assert.Equal(403, r.Status);
        Assert.Equal("CPTS.04030001", r.Object["error_code"]!.GetValue<string>());
    }
}
