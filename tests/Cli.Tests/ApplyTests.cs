using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.Cli.Tests;

/// <summary><c>perftest apply</c> against the real control plane: created, then unchanged, then updated.</summary>
public sealed class ApplyTests : CliTestBase
{
    [Fact]
    public async Task A_second_apply_of_the_same_file_is_unchanged_and_a_change_is_an_update()
    {
        var file = File("shop.yaml", ShopYaml());
        var first = await CliAsync("apply", "-f", file);
        Assert.True(first.Exit == 0, first.ToString());
        Assert.Contains("project shop: created", first.Out);
        Assert.Contains("variable ids: created", first.Out);
        Assert.Contains("transaction browse: created", first.Out);
        Assert.Contains("task smoke: created", first.Out);
        Assert.Contains("case smoke/home: created", first.Out);
        Assert.Contains("5 created, 0 updated, 0 unchanged", first.Out);

        var second = await CliAsync("apply", "-f", file);
        Assert.True(second.Exit == 0, second.ToString());
        Assert.Equal("unchanged", second.Out.Trim().Split('\n')[^1]);
        Assert.DoesNotContain(": created", second.Out);
        Assert.DoesNotContain(": updated", second.Out);

        var third = await CliAsync("apply", "-f", File("shop2.yaml", ShopYaml(seconds: 3)));
        Assert.True(third.Exit == 0, third.ToString());
        Assert.Contains("case smoke/home: updated", third.Out);
        Assert.Contains("task smoke: updated", third.Out);
        Assert.Contains("0 created, 2 updated, 3 unchanged", third.Out);
    }

    [Fact]
    public async Task The_applied_case_is_stored_as_the_API_case_script()
    {
        Assert.Equal(0, (await CliAsync("apply", "-f", File("shop.yaml", ShopYaml()))).Exit);
        var tasks = (await Api.Http.GetJsonAsync($"/v1/{Tenant}/test-suites")).Object["projects"]!.AsArray();
        var project = Assert.Single(tasks)!["id"]!.GetValue<long>();
        var task = Assert.Single((await Api.Http.GetJsonAsync($"/v1/{Tenant}/all-tasks/{project}")).Object["tasks"]!.AsArray())!;
        var info = (await Api.Http.GetJsonAsync($"/v1/{Tenant}/tasks/{task["id"]}")).Object["taskInfo"]!;
        var c = Assert.Single(info["case_list"]!.AsArray())!;
        Assert.Equal("home", c["name"]!.GetValue<string>());
        var card = c["contents"]![0]!["content"]![0]!;
        Assert.Equal(2, card["content_type"]!.GetValue<int>());
        Assert.Equal("get-ok", card["content"]!["name"]!.GetValue<string>());
        Assert.Equal("Accept", card["content"]!["headers"]![0]!["key"]!.GetValue<string>());
        Assert.Equal(2, c["stages"]![0]!["time"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_JSON_file_applies_as_well_and_a_bad_file_is_a_usage_error()
    {
        var json = File("t.json", """{ "project": { "name": "p" }, "tasks": [ { "name": "t", "cases": [ { "name": "c" } ] } ] }""");
        var r = await CliAsync("apply", "-f", json);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("case t/c: created", r.Out);

        var bad = await CliAsync("apply", "-f", File("bad.yaml", "tasks: [ { name: t } ]"));
        Assert.Equal(2, bad.Exit);
        Assert.Contains("no project", bad.Error);
        Assert.Equal(2, (await CliAsync("apply", "-f", Path.Combine(Dir, "missing.yaml"))).Exit);
    }
}
