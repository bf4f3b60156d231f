using System.Text.Json.Nodes;

namespace PerfTest.ControlPlane.Quotas;

/// <summary>
/// The most load one stage (TestCaseStage) asks for, read from its members as the executor reads them
/// (docs/load-shapes.md): which members count as VUs and which as iterations per second depends on its pressure_mode.
/// </summary>
public sealed record StageLoad(IReadOnlyList<(string Member, long Value)> VuMembers, IReadOnlyList<(string Member, long Value)> TpsMembers)
{
    /// <summary>A TPS stage without issue_num has 10 VUs per iteration/s, at most 10,000 (docs/load-shapes.md, mode 1).</summary>
    private const long DefaultOpenVusPerTps = 10;
    private const long DefaultOpenVusCap = 10_000;

    /// <summary>The stage's peak VUs: the largest VU member, or for a TPS stage without issue_num its default VUs.</summary>
    public long PeakVus => VuMembers.Count > 0 ? VuMembers.Max(m => m.Value)
        : Math.Min(DefaultOpenVusCap, PeakTps * DefaultOpenVusPerTps);

    public long PeakTps => TpsMembers.Count > 0 ? TpsMembers.Max(m => m.Value) : 0;

    public static StageLoad Of(JsonObject stage)
    {
        var mode = Number(stage, "pressure_mode") ?? 0;
        var vus = new List<(string, long)>();
        var tps = new List<(string, long)>();
        var open = mode is 1 or 4 or 6;
        Add(stage, open ? tps : vus, mode switch
        {
            1 => ["tps_value", "current_tps"],
            3 or 4 or 5 or 6 => ["minimum", "maximum"],
            _ => ["issue_num", "current_user_num"],
        });
        if (open)
        {
            Add(stage, vus, ["issue_num"]);
            vus.RemoveAll(m => m.Item2 == 0);  // issue_num 0: the default VUs of a TPS stage
        }
        return new StageLoad(vus, tps);
    }

    private static void Add(JsonObject stage, List<(string, long)> into, string[] members)
    {
        foreach (var member in members)
        {
            if (Number(stage, member) is { } value)
            {
                into.Add((member, value));
            }
        }
    }

    private static long? Number(JsonObject stage, string member) =>
        stage[member] is JsonValue v && v.TryGetValue(out long x) ? x : null;
}
