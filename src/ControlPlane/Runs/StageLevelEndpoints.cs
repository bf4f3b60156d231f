using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Auth;

namespace PerfTest.ControlPlane.Runs;

/// <summary>
/// Manual pressure regulation (a stage with <c>voltage_regulating_mode</c> 1), an endpoint of ours that the
/// API reference lacks: <c>PUT /v1/{project_id}/task-run-infos/{task_run_id}/stage-level</c> with
/// <c>{"level": 50}</c> (VUs for concurrency modes, TPS for TPS modes; all executors together) and optionally
/// <c>"case_run_id"</c> to change one case only. See docs/load-shapes.md.
/// </summary>
public static class StageLevelEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/v1/{project_id}/task-run-infos/{task_run_id}/stage-level", SetLevel)
            .WithTags("Runs").WithName("set_stage_level")
            .WithErrors(StatusCodes.Status409Conflict);

    private static async Task<IResult> SetLevel(HttpContext ctx, string task_run_id, RunCoordinator coordinator)
    {
        var taskRunId = RequestValues.Id(task_run_id, "task_run_id");
        var body = await JsonBody.ReadObjectAsync(ctx.Request);
        var level = body.RequiredInt("level", 0, 1_000_000);
        var caseRunId = body.OptionalLong("case_run_id", 1);
        var applied = await coordinator.SetLevelAsync(Tenant.Of(ctx), taskRunId, caseRunId, level);
        if (applied.Count == 0)
        {
            throw ApiException.Conflict(caseRunId is { } one
                ? $"case run {one} of task run {taskRunId} has no running stage with voltage_regulating_mode 1 (manual)"
                : $"task run {taskRunId} has no running stage with voltage_regulating_mode 1 (manual)");
        }
        return ApiJson.Ok(ApiJson.Success(("level", level), ("case_run_ids", new JsonArray(applied.Select(id => (JsonNode)id).ToArray()))));
    }
}
