using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// The case language through the REST API against a real local target: what the target receives
/// (substituted values, counts) and what the report counts, per card kind and controller.
/// </summary>
public sealed class ScriptLanguageRunTests : RunTestBase
{
    private const string P = "/v1/" + RunHarness.Tenant;

    private string Url(string path) => new Uri(Target.BaseAddress, path).ToString();

    private static string Get(string name, string url, string extra = "") => $$"""
        { "content_type": 2, "content": { "name": "{{name}}", "method": "GET", "url": "{{url}}", "protocol_type": 1,
          "body_type": 0, "bodys": [], "headers": [] {{extra}} } }
        """;

    /// <summary>Saves the script on a fresh case, runs it to the end and returns the report.</summary>
    private async Task<JsonObject> RunAsync(RunHarness.Created c, string contents, string stages)
    {
        var r = await Run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/all", $$"""{ "name": "c", "contents": {{contents}}, "stages": {{stages}} }""");
        Assert.True(r.Status == 202, r.Text);
        var runId = await Run.StartAsync(c);
        await Run.WaitAsync(c);
        return await Run.ReportAsync(runId, await Run.CaseRunIdAsync(c));
    }

    private static JsonObject Detail(JsonObject report, string name) =>
        (JsonObject)report["details"]!["data"]![0]!["detailDatas"]!.AsArray().Single(d => d!["name"]!.GetValue<string>() == name)!;

    private static long Long(JsonObject o, string name) => o[name]!.GetValue<long>();

    private const string FourIterations = """[ { "operate_mode": 1, "count": 4, "pressure_mode": 0, "issue_num": 1 } ]""";

    [Fact]
    public async Task Extracted_values_are_sent_by_later_cards_and_checkpoints_and_extractions_count_as_documented()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var contents = $$"""
            [ { "content": [
                {{Get("login", Url("/json/abc123"))}},
                { "content_type": 4, "content": { "extractions": [ { "name": "token", "source": "json_path", "expression": "$.token" } ] } },
                { "content_type": 3, "content": { "checks": [ { "source": "json_path", "key": "$.n", "operator": "equals", "value": "42" } ] } },
                {{Get("use", Url("/any/item/${token}"))}},
                {{Get("checked", Url("/json/x"))}},
                { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "contains", "value": "nope" } ] } },
                {{Get("extracted", Url("/ok"))}},
                { "content_type": 4, "content": { "extractions": [ { "name": "missing", "source": "body", "expression": "id=(\\d+)" } ] } } ] } ]
            """;
        var report = await RunAsync(c, contents, FourIterations);

        Assert.Equal(4, Target.PathCounts["/any/item/abc123"]);  // the token extracted from /json/abc123
        Assert.Equal(4, Long(Detail(report, "login"), "successCount"));
        Assert.Equal(4, Long(Detail(report, "checked"), "failedAssert"));
        Assert.Equal(4, Long(Detail(report, "extracted"), "failedParsed"));
        var performance = RunHarness.Performance(report);
        Assert.Equal(16, Long(performance, "requests"));
        Assert.Equal(4, Long(performance, "failedAssert"));
        Assert.Equal(4, Long(performance, "failedParsed"));
    }

    [Fact]
    public async Task Debug_renders_extracted_values_and_applies_checkpoints()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var contents = $$"""
            [ { "content": [
                {{Get("login", Url("/json/t0k"))}},
                { "content_type": 4, "content": { "extractions": [ { "name": "token", "source": "json_path", "expression": "$.token" } ] } },
                {{Get("use", Url("/any/item/${token}"))}},
                { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "equals", "value": "not ok" } ] } } ] } ]
            """;
        Assert.Equal(202, (await Run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/content", $$"""{ "contents": {{contents}} }""")).Status);
        var r = await Run.Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);
        var results = r.Object["result"]!.AsArray();
        Assert.Equal(1, Target.PathCounts["/any/item/t0k"]);
        Assert.EndsWith("/any/item/t0k", results[1]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, results[0]!["result"]!.GetValue<int>());
        Assert.Equal(0, results[1]!["result"]!.GetValue<int>());
        Assert.Equal("a checkpoint failed", results[1]!["errorReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Global_variables_are_drawn_in_order_once_per_iteration()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var created = await Run.Http.PostJsonAsync($"{P}/variables/{c.Project}",
            """[ { "name": "color", "variable_type": 2, "variable": [ "red", "green" ], "is_quoted": false, "variable_mode": 0 } ]""");
        Assert.True(created.Status == 201, created.Text);
        var contents = $$"""[ { "content": [ {{Get("a", Url("/any/a/${color}"))}}, {{Get("b", Url("/any/b/${color}"))}} ] } ]""";
        await RunAsync(c, contents, FourIterations);

        // Sequential: red, green, red, green; both cards of an iteration see the same draw.
        Assert.Equal(2, Target.PathCounts["/any/a/red"]);
        Assert.Equal(2, Target.PathCounts["/any/a/green"]);
        Assert.Equal(2, Target.PathCounts["/any/b/red"]);
        Assert.Equal(2, Target.PathCounts["/any/b/green"]);
    }

    [Fact]
    public async Task Loops_conditions_and_data_instructions_decide_what_is_sent()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var contents = $$"""
            [ { "data_type": 1, "data": { "variables": [ { "name": "mode", "value": "fast" } ] }, "content": [ {{Get("first", Url("/any/first/${mode}"))}} ] },
              { "data_type": 201, "data": { "loop_count": 3 }, "content": [ {{Get("looped", Url("/any/looped"))}} ] },
              { "data_type": 202, "conditions": { "items": [ { "source": "variable", "key": "mode", "operator": "equals", "value": "fast" } ] },
                "data": { "else_content": [ {{Get("else", Url("/any/else"))}} ] }, "content": [ {{Get("then", Url("/any/then"))}} ] },
              { "data_type": 202, "conditions": { "items": [ { "source": "status", "operator": "greater_or_equal", "value": "400" } ] },
                "data": { "else_content": [ {{Get("status-ok", Url("/any/status-ok"))}} ] }, "content": [ {{Get("status-bad", Url("/any/status-bad"))}} ] } ]
            """;
        var report = await RunAsync(c, contents, FourIterations);

        Assert.Equal(4, Target.PathCounts["/any/first/fast"]);
        Assert.Equal(12, Target.PathCounts["/any/looped"]);  // 3 per iteration
        Assert.Equal(4, Target.PathCounts["/any/then"]);
        Assert.False(Target.PathCounts.ContainsKey("/any/else"));
        Assert.Equal(4, Target.PathCounts["/any/status-ok"]);  // the last response before it was a 200
        Assert.False(Target.PathCounts.ContainsKey("/any/status-bad"));
        Assert.Equal(12, Long(Detail(report, "looped"), "requests"));
    }

    [Fact]
    public async Task Vu_percentage_and_throughput_controllers_limit_their_blocks()
    {
        const string Stages = """[ { "operate_mode": 0, "time": 3, "pressure_mode": 0, "issue_num": 4 } ]""";
        var c = await Run.CreateAsync(Url("/ok"), Stages);
        var contents = $$"""
            [ { "content": [ {{Get("all", Url("/delay/20"))}} ] },
              { "data_type": 203, "data": { "percentage": 25 }, "content": [ {{Get("quarter", Url("/any/quarter"))}} ] },
              { "data_type": 204, "data": { "tps": 5 }, "content": [ {{Get("capped", Url("/any/capped"))}} ] } ]
            """;
        var report = await RunAsync(c, contents, Stages);

        var all = Long(Detail(report, "all"), "requests");
        var quarter = Long(Detail(report, "quarter"), "requests");
        Assert.True(all > 40, $"all {all}");  // 4 VUs looping for 3 s at about 20 ms per iteration
        // Exactly one of the 4 VUs runs the quarter block, once per iteration of its own.
        Assert.InRange(quarter, 1, all / 4 + 1);
        Assert.True(quarter * 8 >= all, $"quarter {quarter} of all {all}");
        // At most 5 per second, over at most 4 distinct wall-clock seconds.
        Assert.InRange(Target.PathCounts["/any/capped"], 1, 20);
        Assert.Equal(Target.PathCounts["/any/capped"], Long(Detail(report, "capped"), "requests"));
    }

    [Fact]
    public async Task Rendezvous_releases_the_vus_together()
    {
        // One VU of three is slowed by 300 ms per iteration before the rendezvous: without it the other two
        // would run ahead and never overlap with it at /load; with it, all three requests are in flight at once.
        const string Stages = """[ { "operate_mode": 1, "count": 6, "pressure_mode": 0, "issue_num": 3 } ]""";
        var c = await Run.CreateAsync(Url("/ok"), Stages);
        var contents = $$"""
            [ { "data_type": 203, "data": { "percentage": 50 }, "content": [ {{Get("slow", Url("/delay/300"))}} ] },
              { "data_type": 301, "data": { "users": 3, "timeout": 20000 }, "content": [ {{Get("burst", Url("/load/50"))}} ] } ]
            """;
        var report = await RunAsync(c, contents, Stages);

        Assert.Equal(6, Target.PathCounts["/load/50"]);
        Assert.Equal(2, Target.PathCounts["/delay/300"]);  // one VU, two iterations
        Assert.Equal(3, Target.MaxLoadInFlight);
        Assert.Equal(6, Long(Detail(report, "burst"), "successCount"));
    }

    [Fact]
    public async Task A_transaction_runs_its_cards_and_is_reported_as_one()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var template = await Run.Http.PostJsonAsync($"{P}/templates", $$"""
            { "project_id": {{c.Project}}, "temp_type": 0, "name": "checkout",
              "contents": [ { "content": [ {{Get("cart", Url("/any/cart"))}}, {{Get("pay", Url("/status/500"))}} ] } ] }
            """);
        Assert.True(template.Status == 201, template.Text);
        var id = template.Object["tempId"]!.GetValue<long>();
        var contents = $$"""[ { "content": [ {{Get("home", Url("/any/home"))}} ] }, { "content_id": {{id}}, "content": [] } ]""";
        var report = await RunAsync(c, contents, FourIterations);

        Assert.Equal(4, Target.PathCounts["/any/cart"]);
        var transaction = (JsonObject)report["details"]!["data"]![0]!["customTransactions"]![0]!;
        Assert.Equal("checkout", transaction["name"]!.GetValue<string>());
        Assert.Equal(4, Long(transaction, "transactions"));
        Assert.Null(Detail(report, "home")["transactions"]);  // a request is no transaction
        Assert.Equal(0, Long(transaction, "transactionSuccess"));  // its second request fails every time
        var performance = RunHarness.Performance(report);
        Assert.Equal(12, Long(performance, "requests"));             // the transaction is not counted as a request
        Assert.Equal(4, Long(performance, "transactions"));
        Assert.True(performance["avgTranRespTime"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Debug_runs_cards_inside_controllers_and_transactions_as_one_vu_would()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        var template = await Run.Http.PostJsonAsync($"{P}/templates", $$"""
            { "project_id": {{c.Project}}, "temp_type": 0, "name": "checkout",
              "contents": [ { "content": [ {{Get("cart", Url("/any/cart/${mode}"))}} ] } ] }
            """);
        Assert.True(template.Status == 201, template.Text);
        var id = template.Object["tempId"]!.GetValue<long>();
        var contents = $$"""
            [ { "data_type": 1, "data": { "variables": [ { "name": "mode", "value": "fast" } ] }, "content": [ {{Get("first", Url("/any/first/${mode}"))}} ] },
              { "data_type": 201, "data": { "loop_count": 2 }, "content": [ {{Get("looped", Url("/any/looped"))}}, { "content_type": 1, "content": { "think_time": 60000 } } ] },
              { "data_type": 202, "conditions": { "items": [ { "source": "variable", "key": "mode", "operator": "equals", "value": "slow" } ] },
                "data": { "else_content": [ {{Get("else", Url("/status/404"))}} ] }, "content": [ {{Get("then", Url("/any/then"))}} ] },
              { "content_id": {{id}}, "content": [] } ]
            """;
        Assert.Equal(202, (await Run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/content", $$"""{ "contents": {{contents}} }""")).Status);
        var r = await Run.Http.PostJsonAsync($"{P}/test-suites/{c.Project}/tasks/{c.Task}/cases/{c.Case}/debug",
            """{ "status" : 9, "cluster_id" : 0, "cluster_type" : "shared-cluster-internet", "without_package" : 1, "type" : 1 }""");
        Assert.True(r.Status == 200, r.Text);

        // Every exchange in the order the VU ran them, nested cards included; the think time was not waited for.
        var results = r.Object["result"]!.AsArray().Select(e => (JsonObject)e!).ToList();
        Assert.Equal(["first", "looped", "looped", "else", "cart"], results.Select(e => e["name"]!.GetValue<string>()));
        Assert.Equal(["contents[0].content[0]", "contents[1].content[0]", "contents[1].content[0]", "contents[2].data.else_content[0]",
            "contents[3].transaction.contents[0].content[0]"], results.Select(e => e["path"]!.GetValue<string>()));
        Assert.EndsWith("/any/first/fast", results[0]["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/any/cart/fast", results[4]["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([1, 1, 1, 0, 1], results.Select(e => e["result"]!.GetValue<int>()));
        Assert.All(results, e => Assert.Equal("embedded", e["executor"]!.GetValue<string>()));
        Assert.Equal("404 Not Found", results[3]["statusCode"]!.GetValue<string>());
        Assert.Equal("status code 404 is not 2xx or 3xx", results[3]["errorReason"]!.GetValue<string>());
        Assert.Equal(2, Target.PathCounts["/any/looped"]);
        Assert.False(Target.PathCounts.ContainsKey("/any/then"));
    }

    [Fact]
    public async Task A_card_name_keeps_every_character_in_the_report()
    {
        var c = await Run.CreateAsync(Url("/ok"), FourIterations);
        const string Name = "step#2 #POST#/x";
        var contents = $$"""[ { "content": [ {{Get(Name, Url("/any/hash"))}} ] } ]""";
        var report = await RunAsync(c, contents, FourIterations);

        var detail = Detail(report, Name);
        Assert.Equal(4, Long(detail, "requests"));
        var urls = (await Run.TaskInfoAsync(c))["related_temp_running_data"]![0]!["content_method_url"]!.AsArray();
        Assert.Equal(Name + "#GET#" + Url("/any/hash"), Assert.Single(urls)!.GetValue<string>());
    }
}
