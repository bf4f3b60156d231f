using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Tasks;

namespace PerfTest.ControlPlane.Runs;

/// <summary>Starting and stopping tasks: one task (seed 001), a batch (seed 000), a stored batch (seed 003).</summary>
public static class RunEndpoints
{
    private const int Start = 9;
    private const int Stop = 2;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/{project_id}/test-suites/{test_suite_id}/tasks/{task_id}", UpdateTaskStatus)
            .WithTags("Runs").WithName("update_task_status").AcceptsJson<UpdateTaskStatusRequest>()
            .Produces<UpdateTaskStatusResponse>(StatusCodes.Status200OK)
            .WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/v1/{project_id}/test-suites/{test_suit_id}/tasks/batch-update-task-status", BatchUpdate)
            .WithTags("Runs").WithName("batch_update_task_status").AcceptsJson<BatchUpdateTaskStatusRequest>()
            .Produces<BatchUpdateTaskStatusResponse>(StatusCodes.Status200OK)
            .WithErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPut("/v2/{project_id}/batch-tasks/{id}/action/{command}", BatchAction)
            .WithTags("Runs").WithName("batch_task_action")
            .Produces<BatchTaskActionResponse>(StatusCodes.Status200OK).WithErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> UpdateTaskStatus(HttpContext ctx, string test_suite_id, string task_id,
        TaskStore tasks, RunCoordinator coordinator)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = RequestValues.Id(test_suite_id, "test_suite_id");
        var taskId = RequestValues.Id(task_id, "task_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var status = body.RequiredEnum("status", Start, Stop);
        var (clusterType, clusterId) = Cluster(body, required: status == Start);
        var task = await tasks.GetAsync(tenant, taskId);
        if (task is null || task.ProjectId != projectId)
        {
            throw ApiException.NotFound("task", taskId);
        }
        long runId;
        if (status == Start)
        {
            var run = await coordinator.PrepareAsync(tenant, taskId, clusterType, clusterId);
            runId = await coordinator.BeginAsync(run, clusterType!, clusterId);
        }
        else
        {
            runId = await coordinator.StopAsync(tenant, taskId);
        }
        return ApiJson.Ok(ApiJson.Success(("extend", null), ("result", new JsonObject { ["task_run_id"] = runId })));
    }

    /// <summary>
    /// Starts (or stops) every task of task_id_list: all are checked first and none starts when one
    /// cannot; the set is recorded as a batch whose id comes back in extend.batch_id.
    /// </summary>
    private static async Task<IResult> BatchUpdate(HttpContext ctx, string test_suit_id, TaskStore tasks,
        RunCoordinator coordinator, RunStore runs, TimeProvider clock)
    {
        var tenant = Tenant.Of(ctx);
        var projectId = RequestValues.Id(test_suit_id, "test_suit_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        body.OptionalEnum("type", 0, 1);
        var bodyProject = body.RequiredLong("project_id");
        if (bodyProject != projectId)
        {
            throw ApiException.BadRequest($"project_id is {bodyProject} but the path names project {projectId}");
        }
        var taskIds = body.Ids("task_id_list", required: true);
        if (taskIds.Count == 0 || taskIds.Distinct().Count() != taskIds.Count)
        {
            throw ApiException.BadRequest("task_id_list must name at least one task, each once");
        }
        var status = body.RequiredEnum("status", Start, Stop);
        var (clusterType, clusterId) = Cluster(body, required: true);
        foreach (var taskId in taskIds)
        {
            if ((await tasks.GetAsync(tenant, taskId))?.ProjectId != projectId)
            {
                throw ApiException.NotFound("task", taskId);
            }
        }
        var results = status == Start
            ? await StartAll(tenant, taskIds, clusterType!, clusterId, coordinator)
            : await StopAll(tenant, taskIds, coordinator);
        var batchId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await runs.CreateBatchAsync(tenant, batchId, projectId, JsonSerializer.Serialize(new BatchDoc(taskIds, clusterType!, clusterId)),
            ApiTime.NowMicros(clock));
        var list = new JsonArray(results.Select(r => (JsonNode)new JsonObject { ["task_id"] = r.TaskId, ["task_run_id"] = r.RunId }).ToArray());
        return ApiJson.Ok(ApiJson.Success(("extend", new JsonObject { ["batch_id"] = batchId }), ("result", list)));
    }

    private static async Task<List<(long TaskId, long RunId)>> StartAll(string tenant, List<long> taskIds, string clusterType,
        long clusterId, RunCoordinator coordinator)
    {
        var prepared = new List<ActiveRun>();
        try
        {
            foreach (var taskId in taskIds)
            {
                prepared.Add(await coordinator.PrepareAsync(tenant, taskId, clusterType, clusterId));
            }
        }
        catch
        {
            prepared.ForEach(coordinator.Release);
            throw;
        }
        var results = new List<(long, long)>();
        var begun = new List<ActiveRun>();
        try
        {
            foreach (var run in prepared)
            {
                results.Add((run.TaskId, await coordinator.BeginAsync(run, clusterType, clusterId)));
                begun.Add(run);
            }
        }
        catch (Exception e)
        {
            // All or none: the tasks already started stop and end 3, the ones not reached never begin.
            prepared.Except(begun).ToList().ForEach(coordinator.Release);
            await Task.WhenAll(begun.Select(r => coordinator.AbandonAsync(r,
                $"another task of its batch could not start ({e.Message}), so the whole batch was stopped")));
            throw;
        }
        return results;
    }

    private static async Task<List<(long TaskId, long RunId)>> StopAll(string tenant, List<long> taskIds, RunCoordinator coordinator)
    {
        var notRunning = new List<long>();
        foreach (var id in taskIds)
        {
            if (!await coordinator.IsRunningAsync(tenant, id))
            {
                notRunning.Add(id);
            }
        }
        if (notRunning.Count > 0)
        {
            throw ApiException.Conflict($"task {string.Join(", ", notRunning)} is not running");
        }
        var results = new List<(long, long)>();
        foreach (var taskId in taskIds)
        {
            results.Add((taskId, await coordinator.StopAsync(tenant, taskId)));
        }
        return results;
    }

    /// <summary>Acts on every task of a stored batch; each task succeeds or fails on its own.</summary>
    private static async Task<IResult> BatchAction(HttpContext ctx, string id, string command, RunStore runs, RunCoordinator coordinator)
    {
        var tenant = Tenant.Of(ctx);
        if (command is not ("start" or "stop"))
        {
            throw ApiException.BadRequest($"command '{command}' is not known: use start or stop");
        }
        if (id.Length != 32 || !id.All(Uri.IsHexDigit))
        {
            throw ApiException.BadRequest("id must be the 32 hexadecimal characters of a batch id");
        }
        var batch = await runs.GetBatchAsync(tenant, id) ?? throw new ApiException(404, ErrorCodes.NotFound, $"batch {id} does not exist");
        var doc = JsonSerializer.Deserialize<BatchDoc>(batch.Doc)!;
        var errors = new JsonArray();
        var succeeded = 0;
        foreach (var taskId in doc.TaskIds)
        {
            try
            {
                if (command == "start")
                {
                    var run = await coordinator.PrepareAsync(tenant, taskId, doc.ClusterType, doc.ClusterId);
                    await coordinator.BeginAsync(run, doc.ClusterType, doc.ClusterId);
                }
                else
                {
                    await coordinator.StopAsync(tenant, taskId);
                }
                succeeded++;
            }
            catch (ApiException e)
            {
                errors.Add($"task {taskId}: {e.Message}");
            }
        }
        return ApiJson.Ok(new JsonObject
        {
            ["total_count"] = doc.TaskIds.Count,
            ["failed_count"] = doc.TaskIds.Count - succeeded,
            ["succeed_count"] = succeeded,
            ["id"] = id,
            ["error_list"] = errors,
        });
    }

    private static (string? Type, long Id) Cluster(Fields body, bool required)
    {
        var type = required ? body.RequiredString("cluster_type", 64) : body.OptionalString("cluster_type", 64);
        var id = required ? body.RequiredLong("cluster_id", -1) : body.OptionalLong("cluster_id", -1) ?? 0;
        body.OptionalInt("without_package", 0, 1);
        body.OptionalObject("network_info");
        body.OptionalString("enterprise_project_id", 64);
        return (type, id);
    }

    private sealed record BatchDoc(List<long> TaskIds, string ClusterType, long ClusterId);
}
