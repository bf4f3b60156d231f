using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>
/// A run can always be stopped and never outlives its coordinator: no delete of a running task or project, a store
/// failure mid-run stops the executors, a batch that fails half way leaves nothing running.
/// </summary>
public sealed class RunStopTests : RunTestBase
{
    private const string Conflict = "CPTS.04090001";

    /// <summary>Two minutes of 3 VUs: far longer than any test waits, so only a stop or a failure ends it.</summary>
    private const string LongStage = """[ { "name": "s", "operate_mode": 0, "time": 120, "pressure_mode": 0, "issue_num": 3 } ]""";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_running_task_or_its_project_cannot_be_deleted_and_stays_stoppable_until_stopped()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(), LongStage);
        var runId = await Run.StartAsync(c);
        await Target.FirstRequest;

        foreach (var path in new[] { $"{V1}/tasks/{c.Task}", $"/v3/{RunHarness.Tenant}/tasks/{c.Task}" })
        {
            var refused = await Run.Http.DeleteAsync2(path);
            Assert.Equal(409, refused.Status);
            Assert.Equal(Conflict, refused.Object["error_code"]!.GetValue<string>());
            Assert.Equal($"task {c.Task} is running (task_run_id {runId}); stop it before deleting it", refused.Object["error_msg"]!.GetValue<string>());
        }
        var project = await Run.Http.DeleteAsync2($"{V1}/test-suites/{c.Project}");
        Assert.Equal(409, project.Status);
        Assert.Equal(Conflict, project.Object["error_code"]!.GetValue<string>());
        Assert.Contains($"task {c.Task} of project {c.Project} is running", project.Object["error_msg"]!.GetValue<string>());

        var stop = await Run.StopAsync(c);
        Assert.True(stop.Status == 200, stop.Text);
        Assert.Equal(runId, stop.Object["result"]!["task_run_id"]!.GetValue<long>());
        await Run.WaitAsync(c).WaitAsync(Bound);
        Assert.Equal(4, (await Run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());

        Assert.Equal(204, (await Run.Http.DeleteAsync2($"{V1}/tasks/{c.Task}")).Status);
        Assert.Equal(204, (await Run.Http.DeleteAsync2($"{V1}/test-suites/{c.Project}")).Status);
    }

    [Fact]
    public async Task A_store_failure_mid_run_stops_the_load_and_ends_the_run_3_with_the_reason()
    {
        var c = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(), LongStage);
        var runId = await Run.StartAsync(c);
        await Target.WaitForMoreSecondsAsync(2);
        // Real storage errors: the database itself refuses every further second of the run and every record of a group
        // change (SQLite RAISE in triggers); the run's statuses can still be written.
        foreach (var table in new[] { "run_seconds", "group_changes" })
        {
            await ExecuteSqlAsync($"CREATE TRIGGER {table}_fail BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'the disk failed'); END");
        }

        // Without the fix the executor was left running to the stage's end, two minutes away: requests go on.
        await Run.WaitAsync(c).WaitAsync(Bound);
        await AssertNoMoreRequestsAsync();
        Assert.Equal(3, (await Run.TaskInfoAsync(c))["run_status"]!.GetValue<int>());
        var cases = (await Run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/task-run-infos/{runId}/cases")).Object["result"]!["case_aw_info_list"]!.AsArray();
        var caseRun = Assert.Single(cases)!;
        Assert.Equal(3, caseRun["run_status"]!.GetValue<int>());
        Assert.Contains("the control plane could not follow the case run: ", caseRun["error"]!.GetValue<string>());
        Assert.Contains("the disk failed", caseRun["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_start_that_fails_half_way_stops_and_marks_the_tasks_it_started()
    {
        var a = await Run.CreateAsync(new Uri(Target.BaseAddress, "/ok").ToString(), LongStage);
        var b = await SecondTaskAsync(a);
        // The store refuses the second task's run: the first has begun by then.
        await ExecuteSqlAsync($"CREATE TRIGGER second_fails BEFORE INSERT ON task_runs WHEN NEW.task_id = {b} BEGIN SELECT RAISE(ABORT, 'no room'); END");

        var r = await Run.Http.PostJsonAsync($"{V1}/test-suites/{a.Project}/tasks/batch-update-task-status", $$"""
            { "type": 1, "status": 9, "project_id": {{a.Project}}, "cluster_id": 0, "cluster_type": "shared-cluster-internet",
              "task_id_list": [ {{a.Task}}, {{b}} ] }
            """);
        Assert.Equal(500, r.Status);
        Assert.Equal("CPTS.05001001", r.Object["error_code"]!.GetValue<string>());

        // Answered once the started task has ended: nothing is left running.
        var first = await Run.TaskInfoAsync(a);
        Assert.Equal(3, first["run_status"]!.GetValue<int>());
        var related = first["related_temp_running_data"]![0]!;
        Assert.Equal(3, related["temp_running_status"]!.GetValue<int>());
        var runId = related["task_run_info_id"]!.GetValue<long>();
        var caseRun = (await Run.Http.GetJsonAsync($"/v2/{RunHarness.Tenant}/task-run-infos/{runId}/cases")).Object["result"]!["case_aw_info_list"]![0]!;
        Assert.Contains("another task of its batch could not start", caseRun["error"]!.GetValue<string>());
        Assert.NotEqual(0, (await Run.TaskInfoAsync(a with { Task = b }))["run_status"]?.GetValue<int>() ?? -1);
        await AssertNoMoreRequestsAsync();

        // Both can start again: neither is held as running.
        await ExecuteSqlAsync("DROP TRIGGER second_fails");
        await Run.StartAsync(a);
        await Run.StartAsync(a with { Task = b });
        Assert.Equal(200, (await Run.StopAsync(a)).Status);
        Assert.Equal(200, (await Run.StopAsync(a with { Task = b })).Status);
        await Run.WaitAsync(a).WaitAsync(Bound);
        await Run.WaitAsync(a with { Task = b }).WaitAsync(Bound);
    }

    /// <summary>A second task in <paramref name="a"/>'s project with a copy of its case.</summary>
    private async Task<long> SecondTaskAsync(RunHarness.Created a)
    {
        var task = (await Run.Http.PostJsonAsync($"{V1}/tasks", $$"""{"name":"t2","project_id":{{a.Project}}}""")).Object["task_id"]!.GetValue<long>();
        var caseId = (await Run.Http.PostJsonAsync($"{V1}/task-cases", $$"""{"name":"c2","type":0,"task_id":{{task}}}""")).Object["json"]!["task_case_id"]!.GetValue<long>();
        var doc = (await Run.TaskInfoAsync(a))["case_list"]![0]!;
        var r = await Run.Http.PutJsonAsync($"{V1}/task-cases/{caseId}/target/all",
            $$"""{ "name": "c2", "contents": {{doc["contents"]!.ToJsonString()}}, "stages": {{doc["stages"]!.ToJsonString()}} }""");
        Assert.True(r.Status == 202, r.Text);
        return task;
    }

    /// <summary>
    /// The target gets no more requests: a quiet second with no request at all, waited for at most ten times. While load
    /// still runs every second has requests (3 VUs on loopback), so this fails then; requests in flight at the stop may
    /// still land in the first second.
    /// </summary>
    private async Task AssertNoMoreRequestsAsync()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var next = Target.WaitForRequestsAsync(Target.Requests + 1);
            if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(1))) != next)
            {
                return;
            }
        }
        Assert.Fail($"the target still gets requests ({Target.Requests} so far)");
    }
}
