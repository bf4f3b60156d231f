using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Api;

/// <summary>Each kind of bad input gets a 4xx whose error body names the problem.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string P = "/v1/0a1b2c3d4e5f";
    private ControlPlaneServer _server = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Api:MaxBodyBytes"] = "65536",
        }));
        _project = (await _server.Http.PostJsonAsync($"{P}/test-suites", DocExamples.CreateProject)).Object["project_id"]!.GetValue<long>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task AssertError(int status, string expectedInMessage, Task<ApiResponse> call)
    {
        var r = await call;
        Assert.True(status == r.Status, $"expected {status}, got {r.Status}: {r.Text}");
        Assert.Matches(@"^CPTS\.\d{8}$", r.Object["error_code"]!.GetValue<string>());
        Assert.Contains(expectedInMessage, r.Object["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_its_position()
    {
        await AssertError(400, "line 1", _server.Http.PostJsonAsync($"{P}/test-suites", """{"name": "x",}"""));
        await AssertError(400, "empty", _server.Http.PostJsonAsync($"{P}/test-suites", ""));
        await AssertError(400, "JSON object", _server.Http.PostJsonAsync($"{P}/test-suites", "[1]"));
    }

    [Fact]
    public async Task Wrong_types_missing_fields_and_bad_enums_name_the_field()
    {
        await AssertError(400, "name must be a string", _server.Http.PostJsonAsync($"{P}/test-suites", """{"name": 5}"""));
        await AssertError(400, "name is required", _server.Http.PostJsonAsync($"{P}/test-suites", """{"description": "d"}"""));
        await AssertError(400, "project_id must be an integer", _server.Http.PostJsonAsync($"{P}/tasks", """{"name": "t", "project_id": "1"}"""));
        await AssertError(400, "operate_mode is 7", _server.Http.PostJsonAsync($"{P}/tasks", $$"""{"name": "t", "project_id": {{_project}}, "operate_mode": 7}"""));
        await AssertError(400, "case_id_list is required", _server.Http.PostJsonAsync("/v3/0a1b2c3d4e5f/tasks",
            $$"""{"name": "t", "parallel": true, "project_id": {{_project}}, "operate_mode": 2}"""));
        await AssertError(400, "[0].variable_type", _server.Http.PostJsonAsync($"{P}/variables/{_project}",
            """[{"name": "v", "variable_type": 4, "variable": [1], "is_quoted": false}]"""));
        await AssertError(400, "type 1", _server.Http.PostJsonAsync($"{P}/variables/{_project}",
            """[{"name": "v", "variable_type": 1, "variable": ["a"], "is_quoted": false}]"""));
        await AssertError(400, "[0].variable: a text variable needs exactly one value", _server.Http.PostJsonAsync($"{P}/variables/{_project}",
            """[{"name": "v", "variable_type": 5, "variable": ["a", "b"], "is_quoted": false}]"""));
    }

    [Fact]
    public async Task Nested_script_errors_name_the_path()
    {
        var task = (await _server.Http.PostJsonAsync($"{P}/tasks", DocExamples.CreateTask.With(_project))).Object["task_id"]!.GetValue<long>();
        var caseId = (await _server.Http.PostJsonAsync($"{P}/task-cases", DocExamples.CreateCase.With(task))).Object["json"]!["task_case_id"]!.GetValue<long>();
        await AssertError(400, "stages[0].pressure_mode is 9", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/stage",
            """{"stages": [{"pressure_mode": 9}]}"""));
        await AssertError(400, "contents[0].content[1].content.protocol_type", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content",
            """{"contents": [{"content": [{"content_type": 1}, {"content_type": 2, "content": {"protocol_type": 5}}]}]}"""));
        await AssertError(400, "stages[0].peak_load_kpis.success_rate.comparison", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/stage",
            """{"stages": [{"peak_load_kpis": {"success_rate": {"comparison": "~", "value": 1}}}]}"""));
        await AssertError(400, "contents[1].data_type is 302 (plug-in request)", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content",
            """{"contents": [{"content": []}, {"data_type": 302, "content": []}]}"""));
        await AssertError(400, "contents[0].content[1].content.checks[0].operator 'is'", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content",
            """{"contents": [{"content": [{"content_type": 2, "content": {"url": "http://127.0.0.1/"}}, {"content_type": 3, "content": {"checks": [{"source": "status", "operator": "is", "value": "200"}]}}]}]}"""));
        await AssertError(400, "contents[0].data.loop_count is required", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content",
            """{"contents": [{"data_type": 201, "content": []}]}"""));
        await AssertError(400, "target 'nope'", _server.Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/nope", """{"name": "x"}"""));
    }

    [Fact]
    public async Task Bad_ids_are_400_and_unknown_ids_are_404()
    {
        await AssertError(400, "must not be negative", _server.Http.GetJsonAsync($"{P}/tasks/-3"));
        await AssertError(400, "non-negative integer", _server.Http.GetJsonAsync($"{P}/tasks/abc"));
        await AssertError(400, "non-negative integer", _server.Http.GetJsonAsync($"{P}/tasks/99999999999999999999"));
        await AssertError(404, "task 424242 does not exist", _server.Http.GetJsonAsync($"{P}/tasks/424242"));
        await AssertError(400, "variable_id", _server.Http.DeleteAsync2($"{P}/variables?test_suite_id={_project}"));
        await AssertError(400, "project_id must be", _server.Http.GetJsonAsync("/v1/bad%20id!/test-suites"));
    }

    [Fact]
    public async Task Overlong_strings_and_oversized_bodies_are_refused()
    {
        await AssertError(400, "at most 128", _server.Http.PostJsonAsync($"{P}/test-suites", $$"""{"name": "{{new string('n', 129)}}"}"""));
        await AssertError(413, "larger than the limit", _server.Http.PostJsonAsync($"{P}/test-suites",
            "{\"name\": \"n\", \"external_params\": {\"blob\": \"" + new string('b', 70000) + "\"}}"));
        await AssertError(400, "NUL", _server.Http.PostJsonAsync($"{P}/test-suites", """{"name": "a\u0000b"}"""));
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_the_error_body()
    {
        await AssertError(404, "no API", _server.Http.GetJsonAsync($"{P}/no-such-thing"));
        await AssertError(405, "not allowed", _server.Http.SendJsonAsync(HttpMethod.Patch, $"{P}/test-suites"));
    }
}
