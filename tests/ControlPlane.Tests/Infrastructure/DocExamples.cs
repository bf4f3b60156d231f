namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>The example request bodies of the API reference (seed 004 and seeds 002), as documented.</summary>
public static class DocExamples
{
    // 4.1.2 Creating a Project
    public const string CreateProject = """{ "name" : "createProjectTest", "description" : "description" }""";

    // 4.1.4 Modifying a Project (id is filled in by the test)
    public const string UpdateProject = """{ "id" : {0}, "name" : "ProjectTest", "description" : "description", "variables_no_file" : [ ], "source" : 0, "external_params" : { } }""";

    // 4.2.5 Creating a Task (Old Edition)
    public const string CreateTask = """{ "name" : "task", "project_id" : {0}, "temps" : [ ], "operate_mode" : 2, "bench_concurrent" : 100 }""";

    // 4.2.3 Modifying a Task (Old Edition)
    public const string UpdateTask = """
        { "id" : {1}, "name" : "taskName", "description" : "", "project_id" : {0}, "run_status" : 2, "run_type" : 0,
          "task_run_info" : { "id" : 0, "run_type" : 0 }, "case_list" : [ ], "operate_mode" : 2, "bench_concurrent" : 100,
          "related_temp_running_data" : [ { "task_run_info_id" : 325, "related_temp_running_id" : 350, "temp_id" : 0, "temp_name" : "asdf" } ] }
        """;

    // seed 002: Creating a Task (new edition); 4.2.7 uses the same body
    public const string CreateTaskV3 = """{ "name" : "task", "parallel" : false, "enable_full_link" : true, "project_id" : {0}, "operate_mode" : 2, "case_id_list" : [ {1} ] }""";

    // 4.3.1 Creating a Case (Old Edition)
    public const string CreateCase = """{ "name" : "case1", "type" : 0, "task_id" : {0} }""";

    // 4.3.3 Modifying a Case: target content
    public const string UpdateCaseContent = """
        { "contents": [ { "content_id": 0, "content": [ { "content_type": 2, "content": {
            "body_type": 0, "bodys": [], "check_end_length": null, "check_end_str": null, "check_end_type": null,
            "connect_timeout": 5000, "connect_type": 1, "headers": [ { "key": "Content-Type", "value": "application/json" } ],
            "http_version": "HTTP/1.1", "method": "GET", "name": "Msg-24642", "protocol_type": 1, "return_timeout": 5000,
            "return_timeout_param": null, "url": "http://1.1.1.1" } } ],
          "index": 0, "selected_temp_name": "", "data": null, "data_type": 0, "conditions": null, "is_disabled": false } ],
          "for_loop_params" : [ ] }
        """;

    // 4.3.3 Modifying a Case: target stage
    public const string UpdateCaseStage = """
        { "increase_setting" : [ ], "stages" : [ { "count" : 1, "current_user_num" : 10, "issue_num" : 10, "name" : "Stage-teeb",
          "operate_mode" : 0, "pressure_mode" : 0, "time" : 60, "tps_value" : 1, "voltage_regulating_mode" : 0, "maximum" : 3,
          "minimum" : 1, "loop_count" : 2, "max_duration" : 30, "step_size" : 1, "step_duration" : 30, "ramp_up" : 30,
          "peak_load_kpis" : { "average_response_time" : { "comparison" : "<=", "value" : 60000 },
                               "success_rate" : { "comparison" : ">=", "value" : 0 } } } ] }
        """;

    // 4.3.3 Modifying a Case: target name
    public const string UpdateCaseName = """{ "name" : "testCase" }""";

    // 4.4.2 Creating a Variable
    public const string CreateVariable = """[ { "name" : "varTest", "variable_type" : 1, "variable" : [ 1, 10 ], "is_quoted" : false } ]""";

    // 4.4.3 Modifying a Variable
    public const string UpdateVariable = """[ { "id" : {0}, "name" : "varTest", "variable_type" : 1, "variable" : [ 1, 10 ] } ]""";

    // 4.5.2 Creating a Transaction
    public const string CreateTemplate = """{ "project_id": {0}, "temp_type": 0, "name": "testTemp", "contents": [] }""";

    // 4.5.4 Modifying a Transaction
    public const string UpdateTemplate = """
        { "contents": [ { "content": [ { "content": { "body_type": 0, "bodys": [ ], "check_end_length": null, "check_end_str": null,
            "check_end_type": null, "connect_timeout": 5000, "connect_type": 1,
            "headers": [ { "key": "Content-Type", "value": "application/json" } ], "http_version": "HTTP/1.1", "method": "GET",
            "name": "Msg-31445", "protocol_type": 2, "return_timeout": 5000, "return_timeout_param": null,
            "url": "https://www.domain-example.com" }, "content_type": 2 } ], "content_id": 2346, "index": 0 } ],
          "description": "", "enable_pre": false, "for_loop_params": [ ], "id": {1}, "name": "transaction_test", "project_id": {0}, "temp_type": 0 }
        """;

    // SDK create_directory / update_directory
    public const string CreateDirectory = """{ "name" : "directory1" }""";

    /// <summary>Fills {0}, {1}, ... (the docs' ids) with the ids the test created.</summary>
    public static string With(this string template, params long[] ids)
    {
        var result = template;
        for (var i = 0; i < ids.Length; i++)
        {
            result = result.Replace("{" + i + "}", ids[i].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return result;
    }
}
