using System.Text.Json.Nodes;

namespace PerfTest.Executor.Plan;

/// <summary>
/// One stage of a case (TestCaseStage), as this executor runs it: the totals of the
/// stage already reduced to this executor's share (see <see cref="Share"/>).
/// </summary>
public sealed record StageSpec
{
    public string Name { get; init; } = "";
    /// <summary>0: run for <see cref="DurationSeconds"/>; 1: run <see cref="Iterations"/> iterations.</summary>
    public int OperateMode { get; init; }
    public int PressureMode { get; init; }
    public int DurationSeconds { get; init; }
    public long Iterations { get; init; }
    /// <summary>Concurrency modes: VUs at the end of the ramp; TPS modes: the most VUs that may be busy.</summary>
    public int MaxUsers { get; init; }
    public int StartUsers { get; init; }
    public int Tps { get; init; }
    public int StartTps { get; init; }
    public int RampUpSeconds { get; init; }

    public static StageSpec Parse(JsonObject stage, int executorIndex, int executorCount)
    {
        int Int(string name) => stage[name] is JsonValue v && v.TryGetValue(out long x) ? (int)Math.Clamp(x, 0, int.MaxValue) : 0;
        long Long(string name) => stage[name] is JsonValue v && v.TryGetValue(out long x) ? Math.Max(0, x) : 0;
        var issue = Int("issue_num");
        return new StageSpec
        {
            Name = stage["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : "",
            OperateMode = Int("operate_mode"),
            PressureMode = Int("pressure_mode"),
            DurationSeconds = Int("time"),
            Iterations = Share.Of(Long("count"), executorIndex, executorCount),
            MaxUsers = (int)Share.Of(issue, executorIndex, executorCount),
            // Without a ramp the stage starts at its full level.
            StartUsers = (int)Share.Of(stage["current_user_num"] is null ? issue : Int("current_user_num"), executorIndex, executorCount),
            Tps = (int)Share.Of(Int("tps_value"), executorIndex, executorCount),
            StartTps = (int)Share.Of(stage["current_tps"] is null ? Int("tps_value") : Int("current_tps"), executorIndex, executorCount),
            RampUpSeconds = Int("ramp_up"),
        };
    }
}

/// <summary>Splits a total over executors so that the shares always add up to the total.</summary>
public static class Share
{
    public static long Of(long total, int index, int count) =>
        count <= 1 ? total : total / count + (index < total % count ? 1 : 0);
}
