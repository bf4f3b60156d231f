using System.Text.Json.Nodes;

namespace PerfTest.Cli.Runs;

/// <summary>A task run's result as the v1 report gives it: per case run its performance and its requests.</summary>
public sealed record RunSummary(long TaskRunId, long TaskId, string TaskName, int RunStatus, IReadOnlyList<CaseSummary> Cases)
{
    public const int Ended = 2, StoppedAbnormally = 3, Stopped = 4;

    /// <summary>2 ended, 3 stopped abnormally, 4 stopped by a user (docs/runs.md "Statuses").</summary>
    public static string StatusName(int status) => status switch
    {
        9 => "waiting",
        0 => "running",
        5 => "stopping",
        4 => "stopped",
        2 => "ended",
        3 => "stopped abnormally",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One case run: <see cref="Performance"/> is the report's <c>details.data[0].performance</c>,
/// <see cref="Requests"/> its <c>detailDatas</c> (each with its <c>name</c>).</summary>
public sealed record CaseSummary(string Name, long CaseRunId, int RunStatus, string? Error, JsonObject Performance, IReadOnlyList<JsonObject> Requests);
