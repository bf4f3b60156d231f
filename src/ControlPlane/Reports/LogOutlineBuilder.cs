using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Runs;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.ControlPlane.Reports;

/// <summary>The SDK's merged log outline of a task run: every case run's totals together.</summary>
public static class LogOutlineBuilder
{
    /// <summary>The outline of <paramref name="taskRun"/>; <paramref name="datas"/>[i] holds the seconds of <paramref name="caseRuns"/>[i].</summary>
    public static JsonObject Build(TaskRunRow taskRun, IReadOnlyList<CaseRunRow> caseRuns, IReadOnlyList<RunData> datas)
    {
        if (caseRuns.Count != datas.Count)
        {
            throw new ArgumentException($"{datas.Count} run datas for {caseRuns.Count} case runs", nameof(datas));
        }
        var total = new MetricAggregate();
        foreach (var data in datas)
        {
            total.Add(data.Total(KeySnapshot.CaseKey).ToSnapshot(KeySnapshot.CaseKey));
        }
        var seconds = Span(datas);
        var success = total.Count(Outcome.Success);
        // The task run's seconds: each unix second's requests and bytes of every case run together. Past
        // RollupLevels.MaxPoints seconds the points are intervals, whose busiest seconds are added up: exact for one
        // case run, at most the true peak's sum for several (their busiest seconds may not be the same one).
        var perSecond = datas.SelectMany(d => d.Points).GroupBy(p => p.Key)
            .Select(g => (Requests: g.Sum(p => p.Value.Peak(KeySnapshot.CaseKey).MaxRequests), Sent: g.Sum(p => p.Value.Peak(KeySnapshot.CaseKey).MaxSent),
                Received: g.Sum(p => p.Value.Peak(KeySnapshot.CaseKey).MaxReceived), Traffic: g.Sum(p => p.Value.Peak(KeySnapshot.CaseKey).MaxTraffic),
                LeastTraffic: g.Sum(p => p.Value.Peak(KeySnapshot.CaseKey).MinTraffic)))
            .ToList();
        return new JsonObject
        {
            ["core_index"] = new JsonObject
            {
                ["error_request_count"] = total.Requests - success,
                ["max_rps"] = perSecond.Count == 0 ? 0 : perSecond.Max(s => s.Requests),
                ["max_users"] = PeakUsers(datas),
                ["request_count"] = total.Requests,
                ["rps"] = Math.Round(total.Tps(seconds), 3),
                ["success_count"] = success,
                ["success_rate"] = total.Requests == 0 ? 0 : (int)Math.Floor(success * 100.0 / total.Requests),
                ["trans_tps"] = Math.Round(Transactions(caseRuns, datas) / (double)seconds, 3),
                ["response_time"] = new JsonObject
                {
                    ["avg_response_time"] = Math.Round(total.MeanMs, 3),
                    ["avg_tp50"] = (long)Math.Round(total.Percentile(50)),
                    ["avg_tp90"] = (long)Math.Round(total.Percentile(90)),
                    ["max_response_time"] = (long)Math.Round(total.MaxMs),
                    ["min_response_time"] = (long)Math.Round(total.MinMs),
                },
            },
            ["exception_response_sum"] = new JsonObject
            {
                ["failed_assert"] = total.Count(Outcome.CheckpointFailed),
                ["failed_others"] = total.Count(Outcome.Other),
                ["failed_parsed"] = total.Count(Outcome.ParseFailed),
                ["failed_refused"] = total.Count(Outcome.Refused),
                ["failed_timeout"] = total.Count(Outcome.Timeout),
            },
            ["network_traffic"] = new JsonObject
            {
                ["avg_network_traffic"] = Math.Round((total.BytesSent + total.BytesReceived) / (double)seconds, 3),
                ["max_down_stream"] = perSecond.Count == 0 ? 0 : perSecond.Max(s => s.Received),
                ["max_network_traffic"] = perSecond.Count == 0 ? 0 : perSecond.Max(s => s.Traffic),
                ["max_upstream"] = perSecond.Count == 0 ? 0 : perSecond.Max(s => s.Sent),
                ["min_network_traffic"] = perSecond.Count == 0 ? 0 : perSecond.Min(s => s.LeastTraffic),
            },
            ["response_code_sum"] = new JsonObject
            {
                ["sum1xx"] = total.StatusClasses[0], ["sum2xx"] = total.StatusClasses[1], ["sum3xx"] = total.StatusClasses[2],
                ["sum4xx"] = total.StatusClasses[3], ["sum5xx"] = total.StatusClasses[4],
            },
            ["task_basic_attribute"] = new JsonObject
            {
                ["project_id"] = taskRun.ProjectId.ToString(CultureInfo.InvariantCulture),
                ["task_id"] = taskRun.TaskId.ToString(CultureInfo.InvariantCulture),
                ["protocols"] = new JsonArray(ReportKeys.Protocols(caseRuns).Select(p => (JsonNode)p).ToArray()),
                ["stage"] = datas.Sum(d => d.StageCount),
            },
            ["task_basic_execution_data"] = new JsonObject
            {
                ["complete_num"] = caseRuns.Count(c => !RunStatus.IsActive(c.RunStatus)),
                ["duration"] = seconds,
                ["end_time"] = taskRun.EndedUs is { } e ? ApiTime.Format(e) : null,
                ["executed_num"] = caseRuns.Count(c => c.StartedUs is not null),
                ["parallel"] = ApiJson.ParseObject(taskRun.Doc)["parallel"]?.GetValue<bool>() ?? true,
                ["pass_num"] = caseRuns.Count(c => c.RunStatus == RunStatus.Ended),
                ["start_time"] = ApiTime.Format(taskRun.StartedUs),
                ["task_status"] = taskRun.RunStatus,
                ["total_num"] = caseRuns.Count,
                ["vum"] = (long)Math.Round(datas.Sum(ReportBuilder.Vum)),
            },
            ["response_code_details"] = new JsonArray(),
            ["sla_statistic"] = null,
            ["streaming_media"] = total.Streaming is { } streaming ? StreamingReport.Build(streaming, seconds) : null,
        };
    }

    /// <summary>
    /// The task run's duration in seconds: from the first second any case run stored to the last any stored, gaps
    /// included (cases run one after another add up; side by side they overlap); at least 1.
    /// </summary>
    public static int Span(IReadOnlyList<RunData> datas)
    {
        var ran = datas.Where(d => d.HasSeconds).ToList();
        return ran.Count == 0 ? 1 : (int)Math.Max(1, ran.Max(d => d.LastSecond) - ran.Min(d => d.FirstSecond) + 1);
    }

    /// <summary>
    /// The most VUs live at once over the whole task run: per unix second the VUs of every case run added up
    /// (cases that ran one after another add only in a second they share), then the largest of those sums.
    /// </summary>
    public static int PeakUsers(IEnumerable<RunData> datas) =>
        datas.SelectMany(d => d.Points).GroupBy(p => p.Key).Select(g => g.Sum(p => p.Value.VirtualUsers)).DefaultIfEmpty(0).Max();

    /// <summary>Transactions ended (succeeded or failed) over every case run: the totals of their transaction keys.</summary>
    private static long Transactions(IReadOnlyList<CaseRunRow> caseRuns, IReadOnlyList<RunData> datas) =>
        caseRuns.Select((caseRun, i) => ReportKeys.Of(caseRun).Where(k => k.IsTransaction).Sum(k => datas[i].Total(k.Key).Requests)).Sum();
}
