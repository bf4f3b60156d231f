using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>AK/SK signatures as the official SDK makes them, tokens, 401 and 403, over real HTTP.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string Ak = "HPUAEXAMPLEAK0000001";
    private const string Sk = "s3cr3t/with+odd=chars~";
    private const string Mine = "0a1b2c3d4e5f";
    private const string Theirs = "99aa88bb77cc";
    private ControlPlaneServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Auth:Credentials:0:AccessKey"] = Ak,
            ["Auth:Credentials:0:SecretKey"] = Sk,
            ["Auth:Credentials:0:ProjectIds:0"] = Mine,
            ["Auth:Credentials:1:AccessKey"] = "OTHERAK",
            ["Auth:Credentials:1:SecretKey"] = "othersk",
            ["Auth:Credentials:1:ProjectIds:0"] = Theirs,
            ["Auth:Tokens:0:Token"] = "tok-123",
            ["Auth:Tokens:0:ProjectIds:0"] = Mine,
        }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ApiResponse> Signed(HttpMethod method, string path, string? json = null, string ak = Ak, string sk = Sk,
        TimeSpan? skew = null, Action<HttpRequestMessage>? tamper = null) =>
        new SignedClient(_server, ak, sk, Mine).SendAsync(method, path, json, DateTime.UtcNow + (skew ?? TimeSpan.Zero), tamper: tamper);

    [Fact]
    public async Task A_request_signed_as_the_sdk_signs_it_is_accepted()
    {
        var created = await Signed(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"signed ä project","description":"d"}""");
        Assert.Equal(201, created.Status);
        var id = created.Object["project_id"]!.GetValue<long>();
        var listed = await Signed(HttpMethod.Get, $"/v1/{Mine}/test-suites?offset=0&limit=10");
        Assert.Equal(200, listed.Status);
        Assert.Contains(listed.Object["projects"]!.AsArray(), p => p!["id"]!.GetValue<long>() == id);
        var deleted = await Signed(HttpMethod.Delete, $"/v1/{Mine}/variables?variable_id=5&test_suite_id={id}&z=a%20b");
        Assert.Equal(404, deleted.Status); // authenticated; the variable does not exist
    }

    [Fact]
    public async Task A_wrong_secret_an_unknown_key_a_changed_body_or_an_old_date_is_401()
    {
        var path = $"/v1/{Mine}/test-suites";
        Assert.Equal(401, (await Signed(HttpMethod.Get, path, sk: "wrong")).Status);
        Assert.Equal(401, (await Signed(HttpMethod.Get, path, ak: "NOSUCHKEY")).Status);
        Assert.Equal(401, (await Signed(HttpMethod.Get, path, skew: TimeSpan.FromMinutes(-16))).Status);
        Assert.Equal(401, (await Signed(HttpMethod.Get, path, skew: TimeSpan.FromMinutes(16))).Status);
        Assert.Equal(200, (await Signed(HttpMethod.Get, path, skew: TimeSpan.FromMinutes(-14))).Status);
        var tampered = await Signed(HttpMethod.Post, path, """{"name":"a"}""",
            tamper: r => r.Content = new StringContent("""{"name":"b"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(401, tampered.Status);
        Assert.StartsWith("CPTS.", tampered.Object["error_code"]!.GetValue<string>());
        Assert.Equal(401, (await _server.Http.GetJsonAsync(path)).Status);
    }

    [Fact]
    public async Task Another_iam_project_id_is_403()
    {
        var r = await Signed(HttpMethod.Get, $"/v1/{Theirs}/test-suites");
        Assert.Equal(403, r.Status);
        Assert.Contains(Theirs, r.Object["error_msg"]!.GetValue<string>());
        var token = await _server.Http.SendJsonAsync(HttpMethod.Get, $"/v1/{Theirs}/test-suites",
            configure: m => m.Headers.Add("X-Auth-Token", "tok-123"));
        Assert.Equal(403, token.Status);
    }

    [Fact]
    public async Task A_configured_token_authenticates_and_an_unknown_one_is_401()
    {
        var ok = await _server.Http.SendJsonAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"t"}""",
            m => m.Headers.Add("X-Auth-Token", "tok-123"));
        Assert.Equal(201, ok.Status);
        var bad = await _server.Http.SendJsonAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites",
            configure: m => m.Headers.Add("X-Auth-Token", "tok-124"));
        Assert.Equal(401, bad.Status);
    }

    [Fact]
    public async Task Data_of_one_credential_is_not_found_by_another()
    {
        var id = (await Signed(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"mine"}""")).Object["project_id"]!.GetValue<long>();
        var theirs = await _server.Http.SendJsonAsync(HttpMethod.Get, $"/v1/{Theirs}/test-suites/{id}", configure: r =>
        {
            r.RequestUri = new Uri(_server.BaseAddress, $"/v1/{Theirs}/test-suites/{id}");
            HuaweiSdkSigner.Sign(r, "OTHERAK", "othersk", DateTime.UtcNow, Theirs);
        });
        Assert.Equal(404, theirs.Status);
    }

    [Fact]
    public async Task The_openapi_document_needs_authentication_and_lists_every_operation()
    {
        Assert.Equal(401, (await _server.Http.GetJsonAsync("/openapi/v1.json")).Status);
        var doc = await _server.Http.SendJsonAsync(HttpMethod.Get, "/openapi/v1.json", configure: m => m.Headers.Add("X-Auth-Token", "tok-123"));
        Assert.Equal(200, doc.Status);
        var paths = doc.Object["paths"]!.AsObject();
        foreach (var path in new[]
                 {
                     "/v1/{project_id}/test-suites", "/v1/{project_id}/test-suites/{test_suite_id}", "/v1/{project_id}/test-suites/upload/processes",
                     "/v1/{project_id}/all-tasks/{test_suite_id}", "/v1/{project_id}/tasks", "/v1/{project_id}/tasks/{task_id}",
                     "/v3/{project_id}/tasks", "/v3/{project_id}/tasks/{task_id}", "/v1/{project_id}/task-cases",
                     "/v1/{project_id}/task-cases/{case_id}", "/v1/{project_id}/task-cases/{case_id}/target/{target}",
                     "/v1/{project_id}/variables/{variable_type}/test-suites/{test_suite_id}", "/v1/{project_id}/variables/{test_suite_id}",
                     "/v1/{project_id}/variables", "/v1/{project_id}/all-templates/{test_suite_id}", "/v1/{project_id}/templates",
                     "/v1/{project_id}/templates/{template_id}", "/v1/{project_id}/test-suites/{test_suite_id}/directory",
                     "/v1/{project_id}/test-suites/{test_suite_id}/directory/{directory_id}", "/v2/{project_id}/test-cases",
                     "/v2/{project_id}/test-cases/{case_id}", "/v1/{project_id}/test-suites/{test_suit_id}/tasks/{task_id}/test-cases",
                     "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}",
                     "/v1/{project_id}/test-suites/{test_suit_id}/tasks/batch-update-task-status",
                     "/v2/{project_id}/batch-tasks/{id}/action/{command}",
                     "/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}/cases/{case_id}/debug",
                     "/v1/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/reports",
                     "/v1/{project_id}/tasks/history-run-list/{task_id}", "/v2/{project_id}/task-run-infos/{task_run_id}/cases",
                     "/v2/{project_id}/task-run-infos/{task_run_id}/reports/log-outline",
                     "/v2/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/detail",
                     "/v2/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/detail/{detail_id}/chart",
                 })
        {
            Assert.True(paths.ContainsKey(path), $"OpenAPI document lacks {path}");
        }

        // The handlers read JSON by hand; the document still describes bodies, responses and typed path ids.
        var showTask = paths["/v1/{project_id}/tasks/{task_id}"]!["get"]!;
        Assert.NotNull(showTask["responses"]?["200"]?["content"]?["application/json"]?["schema"]);
        Assert.NotNull(paths["/v1/{project_id}/tasks"]!["post"]!["requestBody"]?["content"]?["application/json"]?["schema"]);
        var parameters = showTask["parameters"]!.AsArray();
        var taskId = parameters.Single(p => (string?)p!["name"] == "task_id" && (string?)p["in"] == "path")!;
        Assert.Equal("integer", (string?)taskId["schema"]!["type"]);
        Assert.Contains(parameters, p => (string?)p!["name"] == "project_id" && (string?)p["in"] == "path");

        // Runs and reports: start/stop bodies, the report's required query value, string detail ids.
        var updateStatus = paths["/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}"]!["post"]!;
        Assert.NotNull(updateStatus["requestBody"]?["content"]?["application/json"]?["schema"]);
        Assert.NotNull(updateStatus["responses"]?["200"]?["content"]?["application/json"]?["schema"]);
        Assert.NotNull(updateStatus["responses"]?["409"]);
        var showReport = paths["/v1/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/reports"]!["get"]!;
        var limit = showReport["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "brokens_limit_count")!;
        Assert.Equal("query", (string?)limit["in"]);
        Assert.True((bool?)limit["required"]);
        Assert.Equal("integer", (string?)limit["schema"]!["type"]);
        Assert.NotNull(showReport["responses"]?["200"]?["content"]?["application/json"]?["schema"]);
        var chart = paths["/v2/{project_id}/task-run-infos/{task_run_id}/case-run-infos/{case_run_id}/detail/{detail_id}/chart"]!["get"]!;
        var detailId = chart["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "detail_id")!;
        Assert.Equal("string", (string?)detailId["schema"]!["type"]);
    }
}
