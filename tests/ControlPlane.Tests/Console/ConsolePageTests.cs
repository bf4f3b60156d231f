using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.ControlPlane.WebConsole;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// The console's files are served to anyone (they hold no data) with the page's security headers, while what the
/// page fetches stays behind the API's authentication; here with a token configured, so nothing is anonymous.
/// </summary>
public sealed class ConsolePageTests : IAsyncLifetime
{
    private ControlPlaneServer _server = null!;

    public async Task InitializeAsync() => _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
    {
        ["Auth:Tokens:0:Token"] = "tok-console",
        ["Auth:Tokens:0:ProjectIds:0"] = "mine",
    }), services: PlaceholderAssets.Register);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_page_is_served_at_the_root_without_credentials_with_its_security_headers()
    {
        using var response = await _server.Http.GetAsync("/");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(PlaceholderAssets.Files["index.html"], await response.Content.ReadAsStringAsync());
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("frame-ancestors 'none'", ConsoleEndpoints.ContentSecurityPolicy);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("console.js", "text/javascript; charset=utf-8")]
    [InlineData("report.js", "text/javascript; charset=utf-8")]
    [InlineData("console.css", "text/css; charset=utf-8")]
    [InlineData("uPlot.iife.min.js", "text/javascript; charset=utf-8")]
    [InlineData("uPlot.min.css", "text/css; charset=utf-8")]
    public async Task Each_file_is_served_with_its_content_type_and_no_cache(string file, string contentType)
    {
        using var response = await _server.Http.GetAsync("/console/" + file);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(PlaceholderAssets.Files[file], await response.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));

        // Revalidated: the same ETag answers 304 without a body, another one the file.
        var etag = response.Headers.ETag!.ToString();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/" + file);
        again.Headers.TryAddWithoutValidation("If-None-Match", "\"other\", " + etag);
        using var notModified = await _server.Http.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        using var changed = new HttpRequestMessage(HttpMethod.Get, "/console/" + file);
        changed.Headers.TryAddWithoutValidation("If-None-Match", "\"other\"");
        Assert.Equal(200, (int)(await _server.Http.SendAsync(changed)).StatusCode);
    }

    [Theory]
    [InlineData("/console/missing.js", "no console file at /console/missing.js")]
    [InlineData("/console/index.html", "no console file at /console/index.html")]
    [InlineData("/no-such-page", "no API at GET /no-such-page")]
    public async Task A_file_or_path_that_is_not_there_answers_the_error_body(string path, string message)
    {
        // With the token: a path that is no console file is the API's, which asks for credentials first.
        var r = await _server.Http.SendJsonAsync(HttpMethod.Get, path, configure: m => m.Headers.Add("X-Auth-Token", "tok-console"));

        Assert.Equal(404, r.Status);
        Assert.Equal("CPTS.04040001", r.Object["error_code"]!.GetValue<string>());
        Assert.Equal(message, r.Object["error_msg"]!.GetValue<string>());
        var anonymous = await _server.Http.GetJsonAsync(path);
        Assert.Equal(path.StartsWith("/console/", StringComparison.Ordinal) ? 404 : 401, anonymous.Status);
    }

    [Fact]
    public async Task Without_credentials_the_identity_is_refused_and_with_the_token_it_names_its_projects()
    {
        var refused = await _server.Http.GetJsonAsync("/console/api/identity");
        Assert.Equal(401, refused.Status);
        Assert.Equal("CPTS.04010001", refused.Object["error_code"]!.GetValue<string>());

        var bad = await _server.Http.SendJsonAsync(HttpMethod.Get, "/console/api/identity", configure: m => m.Headers.Add("X-Auth-Token", "wrong"));
        Assert.Equal(401, bad.Status);

        var r = await _server.Http.SendJsonAsync(HttpMethod.Get, "/console/api/identity", configure: m => m.Headers.Add("X-Auth-Token", "tok-console"));
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"caller":"token","any_project":false,"project_ids":["mine"]}""", r.Text);
    }

    [Fact]
    public async Task The_report_and_its_export_need_credentials_and_are_in_the_openapi_document()
    {
        Assert.Equal(401, (await _server.Http.GetJsonAsync("/v1/mine/console/task-runs/1")).Status);
        Assert.Equal(401, (await _server.Http.GetJsonAsync("/v1/mine/task-run-infos/1/reports/html")).Status);

        var doc = await _server.Http.SendJsonAsync(HttpMethod.Get, "/openapi/v1.json", configure: m => m.Headers.Add("X-Auth-Token", "tok-console"));
        var paths = doc.Object["paths"]!.AsObject();
        Assert.Equal("show_console_report", paths["/v1/{project_id}/console/task-runs/{task_run_id}"]!["get"]!["operationId"]!.GetValue<string>());
        var html = paths["/v1/{project_id}/task-run-infos/{task_run_id}/reports/html"]!["get"]!;
        Assert.Equal("export_html_report", html["operationId"]!.GetValue<string>());
        Assert.NotNull(html["responses"]!["200"]!["content"]!["text/html"]);
        Assert.NotNull(html["responses"]!["404"]);
        Assert.False(paths.ContainsKey("/console/api/identity"));
    }
}
