using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Api;

/// <summary>
/// The resource API as documented, replayed with the documented example requests against a
/// real server; run once on SQLite and once on PostgreSQL (see the two subclasses).
/// </summary>
public abstract class ResourceApiContract : IAsyncLifetime
{
    protected const string P = "/v1/0a1b2c3d4e5f";
    protected const string Success = "SVCSTG.CPTS.0000000";
    private Backend _backend = null!;
    protected ControlPlaneServer Server { get; private set; } = null!;
    protected HttpClient Http => Server.Http;

    protected abstract string Provider { get; }

    public async Task InitializeAsync()
    {
        _backend = await Backend.NewAsync(Provider);
        Server = await ControlPlaneServer.StartAsync(_backend.Settings());
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected async Task<long> CreateProjectAsync(string prefix = P)
    {
        var r = await Http.PostJsonAsync($"{prefix}/test-suites", DocExamples.CreateProject);
        Assert.Equal(201, r.Status);
        return r.Object["project_id"]!.GetValue<long>();
    }

    protected async Task<long> CreateTaskAsync(long project)
    {
        var r = await Http.PostJsonAsync($"{P}/tasks", DocExamples.CreateTask.With(project));
        Assert.Equal(201, r.Status);
        return r.Object["task_id"]!.GetValue<long>();
    }

    protected async Task<long> CreateCaseAsync(long task)
    {
        var r = await Http.PostJsonAsync($"{P}/task-cases", DocExamples.CreateCase.With(task));
        Assert.Equal(201, r.Status);
        return r.Object["json"]!["task_case_id"]!.GetValue<long>();
    }

    protected async Task<long> CreateDirectoryAsync(long project)
    {
        var r = await Http.PostJsonAsync($"{P}/test-suites/{project}/directory", DocExamples.CreateDirectory);
        Assert.Equal(201, r.Status);
        return r.Object["directory_id"]!.GetValue<long>();
    }

    protected async Task<long> CreateNewCaseAsync(long directory, string extra = "")
    {
        var r = await Http.PostJsonAsync("/v2/0a1b2c3d4e5f/test-cases",
            $$"""{ "name": "v2case", "directory_id": {{directory}}, "contents": [], "stages": [] {{extra}} }""");
        Assert.Equal(201, r.Status);
        return r.Object["json"]!["test_case_id"]!.GetValue<long>();
    }

    protected static void AssertSuccess(ApiResponse r, int status, params string[] members)
    {
        Assert.True(status == r.Status, $"expected {status}, got {r.Status}: {r.Text}");
        Assert.Equal(Success, r.Object["code"]!.GetValue<string>());
        Assert.Equal("success", r.Object["message"]!.GetValue<string>());
        foreach (var m in members)
        {
            Assert.True(r.Object.ContainsKey(m), $"response lacks '{m}': {r.Text}");
        }
    }

    protected static void AssertKeys(JsonNode? node, params string[] keys)
    {
        var o = Assert.IsType<JsonObject>(node);
        foreach (var k in keys)
        {
            Assert.True(o.ContainsKey(k), $"'{k}' missing in {o.ToJsonString()}");
        }
    }

    protected static void AssertIsoTime(JsonNode? node)
    {
        var s = node!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$", s);
    }

    [Fact]
    public async Task Projects_answer_as_documented()
    {
        var id = await CreateProjectAsync();
        var list = await Http.GetJsonAsync($"{P}/test-suites?offset=0&limit=10");
        AssertSuccess(list, 200, "projects");
        var item = list.Object["projects"]!.AsArray().Single();
        AssertKeys(item, "id", "name", "description", "variables_no_file", "CreateTime", "UpdateTime", "source", "external_params");
        AssertIsoTime(item!["CreateTime"]);

        var show = await Http.GetJsonAsync($"{P}/test-suites/{id}");
        AssertSuccess(show, 200, "project");
        AssertKeys(show.Object["project"], "create_time", "description", "group", "id", "name", "source", "update_time");
        Assert.Equal("createProjectTest", show.Object["project"]!["name"]!.GetValue<string>());

        var update = await Http.PutJsonAsync($"{P}/test-suites/{id}", DocExamples.UpdateProject.With(id)
            .Replace("\"external_params\" : { }", "\"external_params\" : { \"k\": [1, \"v\"] }, \"x_owner\": \"team-a\""));
        Assert.Equal(204, update.Status);
        show = await Http.GetJsonAsync($"{P}/test-suites/{id}");
        Assert.Equal("ProjectTest", show.Object["project"]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "k": [1, "v"] }"""), show.Object["project"]!["external_params"]));
        Assert.Equal("team-a", show.Object["project"]!["x_owner"]!.GetValue<string>());

        var progress = await Http.GetJsonAsync($"{P}/test-suites/upload/processes");
        AssertSuccess(progress, 200, "json", "extend");
        AssertKeys(progress.Object["json"], "details", "process_status");

        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/test-suites/{id}")).Status);
        Assert.Equal(404, (await Http.GetJsonAsync($"{P}/test-suites/{id}")).Status);
    }

    [Fact]
    public async Task Paging_skips_offset_records_and_returns_at_most_limit()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateProjectAsync());
        }
        var page = await Http.GetJsonAsync($"{P}/test-suites?offset=1&limit=2");
        var got = page.Object["projects"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.Skip(1).Take(2), got);
        Assert.Equal(400, (await Http.GetJsonAsync($"{P}/test-suites?limit=-1")).Status);
        Assert.Equal(400, (await Http.GetJsonAsync($"{P}/test-suites?limit=100000")).Status);
    }

    [Fact]
    public async Task Old_edition_tasks_and_cases_answer_as_documented()
    {
        var project = await CreateProjectAsync();
        var task = await CreateTaskAsync(project);
        var caseId = await CreateCaseAsync(task);

        AssertSuccess(await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/content", DocExamples.UpdateCaseContent), 202);
        AssertSuccess(await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/stage", DocExamples.UpdateCaseStage), 202);
        AssertSuccess(await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/name", DocExamples.UpdateCaseName), 202);

        var set = await Http.GetJsonAsync($"{P}/all-tasks/{project}");
        AssertSuccess(set, 200, "extend", "tasks");
        AssertKeys(set.Object["tasks"]![0], "bench_concurrent", "description", "id", "name", "operate_mode", "parallel", "task_run_info", "update_time");

        var show = await Http.GetJsonAsync($"{P}/tasks/{task}");
        AssertSuccess(show, 200, "taskInfo");
        var info = show.Object["taskInfo"]!;
        AssertKeys(info, "bench_concurrent", "case_list", "create_time", "description", "name", "operate_mode", "parallel",
            "project_id", "related_temp_running_data", "run_status", "update_time");
        var c = info["case_list"]![0]!;
        AssertKeys(c, "case_id", "name", "case_type", "contents", "for_loop_params", "increase_setting", "stages", "status", "temp_id", "sort");
        Assert.Equal("testCase", c["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DocExamples.UpdateCaseContent)!["contents"], c["contents"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DocExamples.UpdateCaseStage)!["stages"], c["stages"]));

        var update = await Http.PutJsonAsync($"{P}/tasks/{task}", DocExamples.UpdateTask.With(project, task));
        AssertSuccess(update, 200, "taskInfo");
        Assert.Equal("taskName", update.Object["taskInfo"]!["name"]!.GetValue<string>());
        Assert.Single(update.Object["taskInfo"]!["case_list"]!.AsArray());

        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/task-cases/{caseId}")).Status);
        Assert.Empty((await Http.GetJsonAsync($"{P}/tasks/{task}")).Object["taskInfo"]!["case_list"]!.AsArray());
        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/tasks/{task}")).Status);
        Assert.Equal(404, (await Http.GetJsonAsync($"{P}/tasks/{task}")).Status);
    }

    [Fact]
    public async Task New_edition_cases_and_tasks_answer_as_the_sdk_expects()
    {
        var project = await CreateProjectAsync();
        var directory = await CreateDirectoryAsync(project);
        var first = await CreateNewCaseAsync(directory);
        var second = await CreateNewCaseAsync(directory);

        var show = await Http.GetJsonAsync($"/v2/0a1b2c3d4e5f/test-cases/{first}");
        AssertSuccess(show, 200, "test_case");
        Assert.Equal(directory, show.Object["test_case"]!["directory_id"]!.GetValue<long>());

        var put = await Http.PutJsonAsync($"/v2/0a1b2c3d4e5f/test-cases/{first}",
            $$"""{ "name": "renamed", "directory_id": {{directory}}, "contents": [], "stages": [ { "name": "s", "time": 5 } ] }""");
        Assert.Equal(204, put.Status);

        var create = await Http.PostJsonAsync("/v3/0a1b2c3d4e5f/tasks", DocExamples.CreateTaskV3.With(project, first));
        AssertSuccess(create, 201, "task_id");
        var task = create.Object["task_id"]!.GetValue<long>();

        var body = $$"""{ "name" : "task", "parallel" : false, "project_id" : {{project}}, "operate_mode" : 2, "case_id_list" : [ {{second}}, {{first}} ] }""";
        var update = await Http.PutJsonAsync($"/v3/0a1b2c3d4e5f/tasks/{task}", body);
        AssertSuccess(update, 200, "taskInfo");
        var names = update.Object["taskInfo"]!["case_list"]!.AsArray().Select(c => c!["case_id"]!.GetValue<long>());
        Assert.Equal([second, first], names);

        var cases = await Http.GetJsonAsync($"{P}/test-suites/{project}/tasks/{task}/test-cases");
        AssertSuccess(cases, 200, "test_cases");
        AssertKeys(cases.Object["test_cases"]![0], "id", "name", "status", "create_time", "update_time", "parent_id", "type");

        Assert.Equal(404, (await Http.PostJsonAsync("/v3/0a1b2c3d4e5f/tasks", DocExamples.CreateTaskV3.With(project, 999999))).Status);
        Assert.Equal(204, (await Http.DeleteAsync2($"/v2/0a1b2c3d4e5f/test-cases/{second}")).Status);
        Assert.Single((await Http.GetJsonAsync($"{P}/tasks/{task}")).Object["taskInfo"]!["case_list"]!.AsArray());
        Assert.Equal(204, (await Http.DeleteAsync2($"/v3/0a1b2c3d4e5f/tasks/{task}")).Status);
        Assert.Equal(200, (await Http.GetJsonAsync($"/v2/0a1b2c3d4e5f/test-cases/{first}")).Status);
    }

    [Fact]
    public async Task Directories_list_as_a_flat_tree_and_refuse_to_delete_when_not_empty()
    {
        var project = await CreateProjectAsync();
        var directory = await CreateDirectoryAsync(project);
        var caseId = await CreateNewCaseAsync(directory);
        var tree = await Http.GetJsonAsync($"{P}/test-suites/{project}/directory");
        AssertSuccess(tree, 200, "directory");
        var entries = tree.Object["directory"]!.AsArray();
        AssertKeys(entries[0], "id", "name", "status", "create_time", "update_time", "parent_id", "type");
        Assert.Contains(entries, e => e!["type"]!.GetValue<int>() == 1 && e["id"]!.GetValue<long>() == directory);
        Assert.Contains(entries, e => e!["type"]!.GetValue<int>() == 2 && e["id"]!.GetValue<long>() == caseId
            && e["parent_id"]!.GetValue<long>() == directory);

        Assert.Equal(204, (await Http.PutJsonAsync($"{P}/test-suites/{project}/directory/{directory}", """{"name":"renamed"}""")).Status);
        Assert.Equal(409, (await Http.DeleteAsync2($"{P}/test-suites/{project}/directory/{directory}")).Status);
        Assert.Equal(204, (await Http.DeleteAsync2($"/v2/0a1b2c3d4e5f/test-cases/{caseId}")).Status);
        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/test-suites/{project}/directory/{directory}")).Status);
        Assert.Empty((await Http.GetJsonAsync($"{P}/test-suites/{project}/directory")).Object["directory"]!.AsArray());
    }

    [Fact]
    public async Task Variables_answer_as_documented()
    {
        var project = await CreateProjectAsync();
        var create = await Http.PostJsonAsync($"{P}/variables/{project}", DocExamples.CreateVariable);
        AssertSuccess(create, 201, "json");
        var id = create.Object["json"]!["variable_id"]!.GetValue<long>();

        var list = await Http.GetJsonAsync($"{P}/variables/1/test-suites/{project}");
        AssertSuccess(list, 200, "variable_list");
        var v = list.Object["variable_list"]![0]!;
        AssertKeys(v, "file_size", "id", "is_quoted", "name", "variable", "variable_type", "variable_mode", "share_mode");
        Assert.Equal(id, v["id"]!.GetValue<long>());
        Assert.Empty((await Http.GetJsonAsync($"{P}/variables/2/test-suites/{project}")).Object["variable_list"]!.AsArray());

        var update = await Http.PutJsonAsync($"{P}/variables/{project}", DocExamples.UpdateVariable.With(id).Replace("[ 1, 10 ]", "[ 3, 7 ]"));
        AssertSuccess(update, 201, "json");
        v = (await Http.GetJsonAsync($"{P}/variables/0/test-suites/{project}")).Object["variable_list"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[3, 7]"), v["variable"]));

        Assert.Equal(409, (await Http.PostJsonAsync($"{P}/variables/{project}", DocExamples.CreateVariable)).Status);
        AssertSuccess(await Http.DeleteAsync2($"{P}/variables?variable_id={id}&test_suite_id={project}"), 200);
        Assert.Equal(404, (await Http.DeleteAsync2($"{P}/variables?variable_id={id}&test_suite_id={project}")).Status);
    }

    [Fact]
    public async Task Transactions_answer_as_documented()
    {
        var project = await CreateProjectAsync();
        var create = await Http.PostJsonAsync($"{P}/templates", DocExamples.CreateTemplate.With(project));
        AssertSuccess(create, 201, "tempId");
        var id = create.Object["tempId"]!.GetValue<long>();

        var set = await Http.GetJsonAsync($"{P}/all-templates/{project}");
        AssertSuccess(set, 200, "temps");
        AssertKeys(set.Object["temps"]![0], "description", "id", "is_quoted", "name", "temp_type", "update_time");

        Assert.Equal(204, (await Http.PutJsonAsync($"{P}/templates/{id}", DocExamples.UpdateTemplate.With(project, id))).Status);
        var show = await Http.GetJsonAsync($"{P}/templates/{id}");
        AssertSuccess(show, 200, "temp_info");
        var info = show.Object["temp_info"]!;
        AssertKeys(info, "id", "project_id", "name", "description", "variables", "contents", "temp_type", "for_loop_params",
            "logic_controller", "enable_pre");
        Assert.Equal("transaction_test", info["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DocExamples.UpdateTemplate.With(project, id))!["contents"], info["contents"]));

        AssertSuccess(await Http.DeleteAsync2($"{P}/templates/{id}"), 200);
        Assert.Equal(404, (await Http.GetJsonAsync($"{P}/templates/{id}")).Status);
    }

    [Fact]
    public async Task What_a_client_stores_comes_back_unchanged_including_unknown_fields()
    {
        var project = await CreateProjectAsync();
        var task = await CreateTaskAsync(project);
        var caseId = await CreateCaseAsync(task);
        var contents = """
            [ { "content_id": 0, "x_card_note": "keep me", "content": [ { "content_type": 2, "content": {
                "method": "POST", "url": "http://127.0.0.1/ä?q=1", "protocol_type": 1, "future_field": { "n": [1, 2.5, "x", null, true] },
                "headers": [ { "key": "X-A", "value": "b" } ] } },
              { "content_type": 2, "content": { "protocol_type": 11, "url": "mqtt://127.0.0.1:1883", "action": "publish_and_wait", "topic": "a/b",
                "wait_topic": "r/#", "qos": 2, "retain": true, "client_id": "", "clean_session": false, "keep_alive": 30, "x_vendor": 1 } },
              { "content_type": 2, "content": { "protocol_type": 9, "url": "wss://127.0.0.1/ws", "message_type": "binary", "bodys": [ "AAEC" ] } },
              { "content_type": 2, "content": { "protocol_type": 3, "url": "tcp://127.0.0.1:9", "body_format": "hex", "bodys": [ "0a0b" ] } } ],
              "data_type": 0 } ]
            """;
        var setup = """[ { "content_id": 0, "content": [ { "content_type": 1, "content": { "think_time": 100, "odd": "\u0001" } } ] } ]""";
        var stages = """[ { "name": "s1", "time": 10, "issue_num": 5, "pressure_mode": 0, "operate_mode": 0, "my_knob": 3 } ]""";
        var body = $$"""{ "name": "whole", "contents": {{contents}}, "setup_contents": {{setup}}, "stages": {{stages}}, "extra_top": { "a": 1 } }""";
        AssertSuccess(await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/all", body), 202);

        var c = (await Http.GetJsonAsync($"{P}/tasks/{task}")).Object["taskInfo"]!["case_list"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(contents), c["contents"]), c["contents"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(setup), c["setup_contents"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stages), c["stages"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "a": 1 }"""), c["extra_top"]));

        var variable = """[ { "name": "rows", "variable_type": 3, "variable": [ ["a", "b"], ["c", "d"] ], "is_quoted": true, "x_meta": 7 } ]""";
        Assert.Equal(201, (await Http.PostJsonAsync($"{P}/variables/{project}", variable)).Status);
        var v = (await Http.GetJsonAsync($"{P}/variables/3/test-suites/{project}")).Object["variable_list"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[ ["a", "b"], ["c", "d"] ]"""), v["variable"]));
        Assert.Equal(7, v["x_meta"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deleting_a_project_leaves_no_orphans_and_deleting_a_task_deletes_its_cases()
    {
        var project = await CreateProjectAsync();
        var task = await CreateTaskAsync(project);
        var owned = await CreateCaseAsync(task);
        var directory = await CreateDirectoryAsync(project);
        var linked = await CreateNewCaseAsync(directory);
        var v3 = (await Http.PostJsonAsync("/v3/0a1b2c3d4e5f/tasks", DocExamples.CreateTaskV3.With(project, linked))).Object["task_id"]!.GetValue<long>();
        await Http.PostJsonAsync($"{P}/variables/{project}", DocExamples.CreateVariable);
        await Http.PostJsonAsync($"{P}/templates", DocExamples.CreateTemplate.With(project));
        var other = await CreateProjectAsync();
        var otherTask = await CreateTaskAsync(other);
        await CreateCaseAsync(otherTask);

        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/tasks/{task}")).Status);
        Assert.Equal(404, (await Http.PutJsonAsync($"{P}/task-cases/{owned}/target/name", DocExamples.UpdateCaseName)).Status);

        Assert.Equal(204, (await Http.DeleteAsync2($"{P}/test-suites/{project}")).Status);
        var counts = await RowCounts.ForProjectAsync(_backend, project);
        Assert.All(counts, kv => Assert.True(kv.Value == 0, $"{kv.Key} still has {kv.Value} rows of project {project}"));
        Assert.Equal(0, await RowCounts.LinksOfTaskAsync(_backend, v3));
        Assert.Equal(404, (await Http.GetJsonAsync($"/v2/0a1b2c3d4e5f/test-cases/{linked}")).Status);
        Assert.Single((await Http.GetJsonAsync($"{P}/tasks/{otherTask}")).Object["taskInfo"]!["case_list"]!.AsArray());
    }

    [Fact]
    public async Task One_iam_project_never_sees_another_ones_data()
    {
        var project = await CreateProjectAsync();
        var task = await CreateTaskAsync(project);
        const string Other = "/v1/ffff0000eeee";
        Assert.Equal(404, (await Http.GetJsonAsync($"{Other}/test-suites/{project}")).Status);
        Assert.Equal(404, (await Http.GetJsonAsync($"{Other}/tasks/{task}")).Status);
        Assert.Equal(404, (await Http.GetJsonAsync($"{Other}/all-tasks/{project}")).Status);
        Assert.Equal(404, (await Http.DeleteAsync2($"{Other}/test-suites/{project}")).Status);
        Assert.Equal(404, (await Http.PostJsonAsync($"{Other}/tasks", DocExamples.CreateTask.With(project))).Status);
        Assert.Empty((await Http.GetJsonAsync($"{Other}/test-suites")).Object["projects"]!.AsArray());
        Assert.Equal(200, (await Http.GetJsonAsync($"{P}/tasks/{task}")).Status);
    }

    [Fact]
    public async Task Concurrent_clients_lose_no_write()
    {
        var project = await CreateProjectAsync();
        const int Clients = 8;
        const int TasksEach = 10;
        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var codes = new List<int>();
            for (var i = 0; i < TasksEach; i++)
            {
                var r = await Http.PostJsonAsync($"{P}/tasks", $$"""{ "name": "c{{client}}-t{{i}}", "project_id": {{project}} }""");
                codes.Add(r.Status);
                var task = r.Object["task_id"]!.GetValue<long>();
                codes.Add((await Http.PostJsonAsync($"{P}/task-cases", DocExamples.CreateCase.With(task))).Status);
                codes.Add((await Http.PostJsonAsync($"{P}/variables/{project}",
                    $$"""[ { "name": "v{{client}}_{{i}}", "variable_type": 2, "variable": ["x"], "is_quoted": false } ]""")).Status);
            }
            return codes;
        }));
        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(201, s));
        var tasks = (await Http.GetJsonAsync($"{P}/all-tasks/{project}")).Object["tasks"]!.AsArray();
        Assert.Equal(Clients * TasksEach, tasks.Count);
        Assert.Equal(Clients * TasksEach, tasks.Select(t => t!["name"]!.GetValue<string>()).Distinct().Count());
        var variables = (await Http.GetJsonAsync($"{P}/variables/0/test-suites/{project}")).Object["variable_list"]!.AsArray();
        Assert.Equal(Clients * TasksEach, variables.Count);
    }

    [Fact]
    public async Task A_restart_loses_nothing()
    {
        var project = await CreateProjectAsync();
        var task = await CreateTaskAsync(project);
        var caseId = await CreateCaseAsync(task);
        await Http.PutJsonAsync($"{P}/task-cases/{caseId}/target/stage", DocExamples.UpdateCaseStage);
        var before = (await Http.GetJsonAsync($"{P}/tasks/{task}")).Text;

        await Server.DisposeAsync();
        Server = await ControlPlaneServer.StartAsync(_backend.Settings());
        var after = (await Http.GetJsonAsync($"{P}/tasks/{task}")).Text;
        Assert.Equal(before, after);
    }
}

public sealed class SqliteResourceApiTests : ResourceApiContract
{
    protected override string Provider => "Sqlite";
}

public sealed class PostgresResourceApiTests : ResourceApiContract
{
    protected override string Provider => "Postgres";
}
