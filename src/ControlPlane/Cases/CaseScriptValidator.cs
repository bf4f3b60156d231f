using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.Executor.Planning;
using PerfTest.Executor.Scripting;

namespace PerfTest.ControlPlane.Cases;

/// <summary>
/// Checks the documented shape of a case script (contents, setup_contents) and its stages:
/// types and enum ranges, each failure naming the member by path. Members it does not know
/// are left alone and stored as sent.
/// </summary>
public static class CaseScriptValidator
{
    private const int PluginRequest = 302;
    private static readonly int[] DataTypes = [0, 1, 201, 202, 203, 204, 301, PluginRequest];
    private static readonly int[] CardTypes = [1, 2, 3, 4];
    private static readonly int[] ProtocolTypes = [1, 2, 3, 4, 7, 9, 10, 11];
    private static readonly int[] BodyTypes = [0, 1, 2, 3];

    public static void ValidateCase(Fields c)
    {
        c.OptionalString("name", Limits.Name);
        c.OptionalInt("case_type", 0, int.MaxValue);
        c.OptionalEnum("status", 0, 1, 2);
        c.OptionalLong("temp_id");
        c.OptionalInt("sort", int.MinValue, int.MaxValue);
        c.OptionalLong("directory_id");
        c.OptionalInt("user_replicas", 0, 100000);
        c.OptionalEnum("collect_log_policy", 0, 1);
        c.Ids("link_app_list", required: false);
        c.OptionalArray("for_loop_params");
        c.OptionalArray("increase_setting");
        ValidateContents(c, "contents");
        ValidateContents(c, "setup_contents");
        ValidateStages(c);
        if (c.OptionalObject("case_info") is { } info)
        {
            var doc = new Fields(info, c.PathOf("case_info"));
            doc.OptionalString("description", Limits.Text);
            doc.OptionalString("preparation", Limits.Text);
            doc.OptionalEnum("rank", 0, 1, 2, 3, 4);
            doc.OptionalEnum("status_code", 0, 5, 6, 7);
            doc.OptionalArray("label_names");
            foreach (var step in doc.Objects("steps"))
            {
                step.OptionalString("expect_result", Limits.Text);
                step.OptionalString("test_step", Limits.Text);
            }
        }
    }

    public static void ValidateContents(Fields owner, string member)
    {
        foreach (var block in owner.Objects(member))
        {
            block.OptionalLong("content_id");
            block.OptionalInt("index", int.MinValue, int.MaxValue);
            block.OptionalString("selected_temp_name", Limits.Name);
            if (block.OptionalEnum("data_type", DataTypes) == PluginRequest)
            {
                throw ApiException.BadRequest($"{block.PathOf("data_type")} is 302 (plug-in request): plug-in requests are not supported by this service");
            }
            block.OptionalBool("is_disabled");
            foreach (var card in block.Objects("content"))
            {
                card.OptionalEnum("content_type", CardTypes);
                if (card.OptionalObject("content") is { } info)
                {
                    ValidateCardContent(new Fields(info, card.PathOf("content")));
                }
            }
        }
        // Checkpoints, extractions and controllers: shapes of ours (docs/scripts.md), checked by the executor's own parsers.
        try
        {
            PlanBuilder.CheckBlocks(owner.Json[member] as JsonArray, owner.PathOf(member));
        }
        catch (ScriptException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
    }

    private static void ValidateCardContent(Fields info)
    {
        info.OptionalEnum("protocol_type", ProtocolTypes);
        info.OptionalEnum("body_type", BodyTypes);
        info.OptionalString("method", 16);
        info.OptionalString("url", 8192);
        info.OptionalString("rtmp_url", 8192);
        info.OptionalString("flv_url", 8192);
        info.OptionalString("name", Limits.Name);
        info.OptionalString("http_version", 16);
        info.OptionalInt("connect_timeout", 0, int.MaxValue);
        info.OptionalInt("return_timeout", 0, int.MaxValue);
        info.OptionalInt("duration", 0, int.MaxValue);
        info.OptionalInt("retry_delay", 0, int.MaxValue);
        info.OptionalInt("retry_time", 0, int.MaxValue);
        info.OptionalArray("bodys");
        foreach (var header in info.Objects("headers"))
        {
            header.OptionalString("key", 1024);
            header.OptionalString("value", Limits.Text);
        }
    }

    public static void ValidateStages(Fields owner)
    {
        foreach (var stage in owner.Objects("stages"))
        {
            stage.OptionalString("name", Limits.Name);
            stage.OptionalEnum("operate_mode", 0, 1);
            stage.OptionalEnum("pressure_mode", 0, 1, 2, 3, 4, 5, 6, 7);
            stage.OptionalEnum("voltage_regulating_mode", 0, 1);
            foreach (var count in new[] { "time", "start_time", "end_time", "issue_num", "count", "tps_value",
                         "current_user_num", "current_tps", "maximum", "minimum", "loop_count", "max_duration",
                         "ramp_up", "step_duration", "step_size" })
            {
                stage.OptionalLong(count, 0, int.MaxValue);
            }
            if (stage.OptionalObject("peak_load_kpis") is { } kpis)
            {
                var k = new Fields(kpis, stage.PathOf("peak_load_kpis"));
                foreach (var name in new[] { "average_response_time", "success_rate" })
                {
                    if (k.OptionalObject(name) is { } kpi)
                    {
                        var f = new Fields(kpi, k.PathOf(name));
                        var comparison = f.OptionalString("comparison", 4);
                        if (comparison is not null and not ("<" or "<=" or ">" or ">=" or "=" or "==" or "!="))
                        {
                            throw ApiException.BadRequest($"{f.PathOf("comparison")} is '{comparison}'; it must be one of <, <=, >, >=, =, ==, !=");
                        }
                        f.OptionalLong("value", long.MinValue);
                    }
                }
            }
        }
    }
}
