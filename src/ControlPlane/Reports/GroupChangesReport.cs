using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Groups;

namespace PerfTest.ControlPlane.Reports;

/// <summary>
/// Ours, beyond the documented outlines: <c>group_changes</c>, each change of a case run's group of executors while
/// it ran (an executor that joined, was lost, or drained on shutdown), in the order they happened. Empty when the
/// group stayed as it started.
/// </summary>
public static class GroupChangesReport
{
    public static JsonArray Build(IEnumerable<GroupChangeRow> changes) => new(changes
        .Where(c => c.Change is GroupChange.Joined or GroupChange.Lost or GroupChange.Drained)
        .Select(c => (JsonNode)new JsonObject
        {
            ["case_run_id"] = c.CaseRunId,
            ["executor"] = c.Executor,
            ["change"] = c.Change,
            ["second"] = c.UnixMs / 1000,
            ["time"] = ApiTime.Format(c.UnixMs * 1000),
            ["detail"] = c.Detail,
        }).ToArray());
}
