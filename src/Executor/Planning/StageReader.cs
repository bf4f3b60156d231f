using System.Text.Json.Nodes;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Planning;

/// <summary>Reads one stage (TestCaseStage) with its whole-stage numbers; docs/load-shapes.md.</summary>
public static class StageReader
{
    public static Stage Read(JsonObject stage, int index)
    {
        int? Opt(string name) => stage[name] is JsonValue v && v.TryGetValue(out long x) ? (int)Math.Clamp(x, 0, int.MaxValue) : null;
        int Int(string name) => Opt(name) ?? 0;
        var read = new Stage
        {
            Name = stage["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : "",
            OperateMode = Int("operate_mode"),
            PressureMode = Int("pressure_mode"),
            TimeSeconds = Int("time"),
            Count = stage["count"] is JsonValue c && c.TryGetValue(out long count) ? Math.Max(0, count) : 0,
            IssueNum = Int("issue_num"),
            Tps = Int("tps_value"),
            RampUpSeconds = Int("ramp_up"),
            // Older clients spell it voltage_regulation_mode.
            Manual = (Opt("voltage_regulating_mode") ?? Opt("voltage_regulation_mode")) == 1,
            Minimum = Int("minimum"),
            Maximum = Int("maximum"),
            LoopCount = Int("loop_count"),
            MaxDurationSeconds = Int("max_duration"),
            StepSize = Int("step_size"),
            StepDurationSeconds = Int("step_duration"),
        };
        if (Opt("current_user_num") is { } users)
        {
            read.CurrentUserNum = users;
        }
        if (Opt("current_tps") is { } tps)
        {
            read.CurrentTps = tps;
        }
        // Only the modes that act on KPIs read them, so a stale KPI block cannot refuse another mode's stage.
        if (read.PressureMode is 2 or 7 && stage["peak_load_kpis"] is JsonObject kpis)
        {
            var path = $"stages[{index}].peak_load_kpis";
            read.AverageResponseTime = Kpi(kpis["average_response_time"], $"{path}.average_response_time");
            read.SuccessRate = Kpi(kpis["success_rate"], $"{path}.success_rate");
        }
        return read;
    }

    /// <summary>An item with neither comparison nor value is absent (clients send empty items).</summary>
    private static Kpi? Kpi(JsonNode? node, string path)
    {
        if (node is not JsonObject item || (item["comparison"] is null && item["value"] is null))
        {
            return null;
        }
        var comparison = item["comparison"] is JsonValue c && c.TryGetValue(out string? s) ? s.Trim() : "";
        if (comparison is not ("<" or "<=" or ">" or ">=" or "==" or "=" or "!="))
        {
            throw new ScriptException($"{path}.comparison \"{comparison}\" must be one of <, <=, >, >=, ==, !=");
        }
        if (item["value"] is not JsonValue v || !v.TryGetValue(out double value))
        {
            throw new ScriptException($"{path}.value must be a number");
        }
        return new Kpi { Comparison = comparison, Value = value };
    }
}
