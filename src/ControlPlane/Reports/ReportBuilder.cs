using System.Globalization;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Runs;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.ControlPlane.Reports;

/// <summary>The documented report (4.6.1) of one case run: curves, tables, outline, response time ranges.</summary>
public static class ReportBuilder
{
    public static JsonObject Build(TaskRunRow taskRun, CaseRunRow caseRun, RunData data, int limit)
    {
        var total = data.Total(KeySnapshot.CaseKey);
        return new JsonObject
        {
            ["brokens"] = Brokens(data, limit, KeySnapshot.CaseKey),
            ["details"] = new JsonObject
            {
                ["data"] = new JsonArray(new JsonObject
                {
                    ["customTransactions"] = TransactionDetails(taskRun, caseRun, data),
                    ["detailDatas"] = RequestDetails(taskRun, caseRun, data),
                    ["performance"] = Detail(taskRun, caseRun, data, KeySnapshot.CaseKey, caseRun.CaseName, false),
                }),
                ["pageIndex"] = 1,
                ["pageSize"] = 1,
                ["total"] = 1,
            },
            ["outline"] = Outline(taskRun, caseRun, data, total),
            ["rtproportion"] = null,
            ["taskInfo"] = new JsonObject { ["vum"] = Vum(data) },
            ["respTimeRange"] = RespTimeRange(total),
        };
    }

    /// <summary>The detail of each request card (<c>detailDatas</c>), in the order the executors declared them.</summary>
    public static JsonArray RequestDetails(TaskRunRow taskRun, CaseRunRow caseRun, RunData data) =>
        new(Requests(caseRun).Select(r => (JsonNode)Detail(taskRun, caseRun, data, r.Key, r.Name, true)).ToArray());

    /// <summary>The detail of each transaction (<c>customTransactions</c>).</summary>
    public static JsonArray TransactionDetails(TaskRunRow taskRun, CaseRunRow caseRun, RunData data) =>
        new(Transactions(caseRun).Select(t => (JsonNode)Detail(taskRun, caseRun, data, t.Key, t.Name, false)).ToArray());

    /// <summary>The response time ranges of <paramref name="aggregate"/> as "share%(count)" (<c>respTimeRange</c>).</summary>
    public static JsonObject RespTimeRange(MetricAggregate aggregate) =>
        new(ResponseTimeRanges.Describe(aggregate).Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));

    /// <summary>The request cards of the case run, as its executors declared them.</summary>
    public static List<(int Key, string Name)> Requests(CaseRunRow caseRun) =>
        ReportKeys.Of(caseRun).Where(k => !k.IsTransaction).Select(k => (k.Key, k.Name)).ToList();

    /// <summary>The case run's transactions; their keys follow the requests'.</summary>
    public static List<(int Key, string Name)> Transactions(CaseRunRow caseRun) =>
        ReportKeys.Of(caseRun).Where(k => k.IsTransaction).Select(k => (k.Key, k.Name)).ToList();

    /// <summary>The transaction fields of a detail: of the transaction itself, or (the case) of all its transactions.</summary>
    private static void AddTransactionFields(JsonObject detail, CaseRunRow caseRun, RunData data, int key, int seconds)
    {
        var keys = key == KeySnapshot.CaseKey ? Transactions(caseRun).Select(t => t.Key).ToList() : [key];
        if (keys.Count == 0)
        {
            return;
        }
        var all = keys.Select(data.Total).ToList();
        long count = all.Sum(a => a.Requests), success = all.Sum(a => a.Count(Outcome.Success));
        detail["transactions"] = count;
        detail["transactionSuccess"] = success;
        detail["transactionalSuccessRate"] = count == 0 ? 0 : Round(success * 100.0 / count);
        detail["tranTPS"] = Round(count / (double)seconds);
        detail["transactionalTps"] = Round(count / (double)seconds);
        detail["transactionalTpsSuccess"] = Round(success / (double)seconds);
        detail["avgTranRespTime"] = count == 0 ? 0 : Round(all.Sum(a => a.SumMicros) / (double)count / 1000.0);
        detail["maxTranRespTime"] = Round(all.Max(a => a.MaxMs));
        if (key != KeySnapshot.CaseKey)
        {
            detail["transactionId"] = key.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The curves of <paramref name="key"/>; the streaming ones only when the key had plays.</summary>
    public static JsonObject Brokens(RunData data, int limit, int key)
    {
        JsonArray Curve(Func<RunPoint, double> value, DownsampleMode mode) =>
            new(Downsampler.Downsample(data.Series(value), limit, mode).Select(v => (JsonNode)Math.Round(v, 3)).ToArray());
        // Counts are drawn per second: a point of several seconds shows their mean, as downsampling does.
        JsonArray Rate(Func<MetricAggregate, double> count) => Curve(p => p.PerSecond(count(p.Key(key))), DownsampleMode.Mean);
        JsonArray Count(Outcome outcome) => Rate(a => a.Count(outcome));
        var stamps = Downsampler.Downsample(data.Stamps(), limit, DownsampleMode.Min);
        var brokens = new JsonObject
        {
            ["brand_brokens"] = new JsonObject
            {
                ["recBytes"] = Rate(a => a.BytesReceived),
                ["sentBytes"] = Rate(a => a.BytesSent),
            },
            ["commonTimestamps"] = new JsonArray(stamps.Select(s => (JsonNode)DateTimeOffset.FromUnixTimeSeconds((long)s)
                .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ToArray()),
            ["respcode_brokens"] = new JsonObject
            {
                ["checkPointFailed"] = Count(Outcome.CheckpointFailed),
                ["error"] = Rate(a => a.Requests - a.Count(Outcome.Success)),
                ["othersFailed"] = Count(Outcome.Other),
                ["parsedFailed"] = Count(Outcome.ParseFailed),
                ["refusedFailed"] = Count(Outcome.Refused),
                ["success"] = Count(Outcome.Success),
                ["timeout"] = Count(Outcome.Timeout),
            },
            ["tps_brokens"] = new JsonObject
            {
                ["average"] = Curve(p => p.Key(key).MeanMs, DownsampleMode.Mean),
                ["tps"] = Rate(a => a.Requests),
            },
            ["vusers_brokens"] = new JsonObject { ["vusers"] = Curve(p => p.VirtualUsers, DownsampleMode.Max) },
        };
        // Streaming counts are per second like the outcome curves, so they are drawn the same way.
        StreamingReport.AddBrokens(brokens, data, key, value => Curve(p => p.PerSecond(value(p)), DownsampleMode.Mean));
        return brokens;
    }

    /// <summary>A DetailDataInfo (per request, isAW true) or the PerformanceInfo of the case (key -1).</summary>
    public static JsonObject Detail(TaskRunRow taskRun, CaseRunRow caseRun, RunData data, int key, string name, bool isRequest)
    {
        var a = data.Total(key);
        var seconds = Math.Max(1, data.Span);
        var success = a.Count(Outcome.Success);
        var detail = new JsonObject
        {
            ["averageRespTime"] = Round(a.MeanMs),
            ["avgNetworkTraffic"] = Round((a.BytesSent + a.BytesReceived) / (double)seconds),
            ["avgRecBytes"] = Round(a.BytesReceived / (double)seconds),
            ["avgSentBytes"] = Round(a.BytesSent / (double)seconds),
            ["avgTranRespTime"] = 0,
            ["caseUri"] = caseRun.CaseId.ToString(CultureInfo.InvariantCulture),
            ["createTime"] = ApiTime.Format(taskRun.StartedUs),
            ["currentThreadNum"] = data.MaxUsers,
            ["detailId"] = $"{caseRun.Id}-{key}",
            ["endTime"] = caseRun.EndedUs is { } e ? ApiTime.Format(e) : null,
            ["errorCount"] = a.Requests - success,
            ["failedAssert"] = a.Count(Outcome.CheckpointFailed),
            ["failedOthers"] = a.Count(Outcome.Other),
            ["failedParsed"] = a.Count(Outcome.ParseFailed),
            ["failedRefused"] = a.Count(Outcome.Refused),
            ["failedTimeout"] = a.Count(Outcome.Timeout),
            ["id"] = $"{caseRun.Id}-{key}",
            ["isAW"] = isRequest,
            ["max"] = Round(a.MaxMs),
            ["maxNetworkTraffic"] = data.Peak(key).MaxTraffic,
            ["maxRecBytes"] = data.Peak(key).MaxReceived,
            ["maxRespTime"] = Round(a.MaxMs),
            ["maxSentBytes"] = data.Peak(key).MaxSent,
            ["maxTranRespTime"] = 0,
            ["min"] = Round(a.MinMs),
            ["minNetworkTraffic"] = data.Peak(key).MinTraffic,
            ["name"] = name,
            ["requests"] = a.Requests,
            ["result"] = caseRun.RunStatus == RunStatus.StoppedAbnormally ? 1 : 0,
            ["startTime"] = caseRun.StartedUs is { } st ? ApiTime.Format(st) : null,
            ["status"] = caseRun.RunStatus,
            ["successCount"] = success,
            ["successRate"] = a.Requests == 0 ? 0 : Round(success * 100.0 / a.Requests),
            ["sum1xx"] = a.StatusClasses[0],
            ["sum2xx"] = a.StatusClasses[1],
            ["sum3xx"] = a.StatusClasses[2],
            ["sum4xx"] = a.StatusClasses[3],
            ["sum5xx"] = a.StatusClasses[4],
            ["taskId"] = $"{taskRun.TaskId}_{taskRun.Id}",
            ["taskProjectId"] = taskRun.TaskId.ToString(CultureInfo.InvariantCulture),
            ["taskStatus"] = taskRun.RunStatus,
            ["testCaseUri"] = caseRun.CaseId.ToString(CultureInfo.InvariantCulture),
            ["tp50"] = Round(a.Percentile(50)),
            ["tp75"] = Round(a.Percentile(75)),
            ["tp90"] = Round(a.Percentile(90)),
            ["tp95"] = Round(a.Percentile(95)),
            ["tp99"] = Round(a.Percentile(99)),
            ["tp999"] = Round(a.Percentile(99.9)),
            ["tp9999"] = Round(a.Percentile(99.99)),
            ["tps"] = Round(a.Tps(seconds)),
            ["tranTPS"] = 0,
            ["transactionId"] = null,
            ["transactionSuccess"] = null,
            ["transactionalSuccessRate"] = 0,
            ["transactionalTps"] = 0,
            ["transactionalTpsSuccess"] = 0,
            ["transactions"] = null,
            ["updateTime"] = caseRun.EndedUs is { } u ? ApiTime.Format(u) : null,
            ["vum"] = Vum(data),
        };
        if (!isRequest)
        {
            // A request's entry keeps the documented empty transaction fields; the case and its transactions get theirs.
            AddTransactionFields(detail, caseRun, data, key, seconds);
        }
        if (a.Streaming is { } streaming)
        {
            // Only keys that played streams have it, so HTTP-only reports stay as they were.
            detail["streamingMediaVo"] = StreamingReport.Build(streaming, seconds);
        }
        return detail;
    }

    public static JsonObject Outline(TaskRunRow taskRun, CaseRunRow caseRun, RunData data, MetricAggregate total)
    {
        var ended = caseRun.RunStatus is RunStatus.Ended or RunStatus.StoppedByUser or RunStatus.StoppedAbnormally;
        var success = total.Count(Outcome.Success);
        return new JsonObject
        {
            ["avgResponseTime"] = Round(total.MeanMs),
            ["branchId"] = null,
            ["branchName"] = null,
            ["caseRetry"] = 0,
            ["completeNum"] = ended ? 1 : 0,
            ["duration"] = data.Span,
            ["endTime"] = caseRun.EndedUs is { } e ? ApiTime.Format(e) : null,
            ["executedNum"] = 1,
            ["iterationUri"] = null,
            ["maxUsers"] = data.MaxUsers,
            ["passNum"] = caseRun.RunStatus == RunStatus.Ended ? 1 : 0,
            ["projectId"] = taskRun.ProjectId.ToString(CultureInfo.InvariantCulture),
            ["serviceId"] = taskRun.TaskId.ToString(CultureInfo.InvariantCulture),
            ["stage"] = data.StageCount,
            ["stageName"] = null,
            ["startTime"] = caseRun.StartedUs is { } s ? ApiTime.Format(s) : null,
            ["successRate"] = total.Requests == 0 ? 0 : Round(success * 100.0 / total.Requests),
            ["taskStatus"] = taskRun.RunStatus,
            ["totalNum"] = 1,
            ["tps"] = Round(total.Tps(Math.Max(1, data.Span))),
            ["versionUri"] = null,
            ["stage_results"] = StageResults(data),
        };
    }

    /// <summary>
    /// Ours, beyond the documented outline: each stage that a KPI ended early (<c>ended_by</c>
    /// kpi:average_response_time / kpi:success_rate), and for pressure_mode 7 the estimated concurrency
    /// limit (the VUs of the last step that held) with that step's average response time in
    /// <c>maxRespTime</c>. One entry per executor that reported it (each judges its own share).
    /// </summary>
    private static JsonArray StageResults(RunData data) => new(data.StageEnds.Select(e => (JsonNode)new JsonObject
    {
        ["stage_index"] = e.End.StageIndex,
        ["executor"] = e.Executor,
        ["ended_by"] = e.End.EndedBy.Length == 0 ? null : e.End.EndedBy,
        ["estimated_concurrency"] = e.End.HasLimit ? e.End.EstimatedLimitUsers : null,
        ["maxRespTime"] = e.End.HasLimit ? Round(e.End.LimitAverageMs) : null,
    }).ToArray());

    /// <summary>VUM: virtual users times minutes (the sum over seconds of the live VUs, over 60).</summary>
    public static double Vum(RunData data) => Round(data.VusersSum / 60.0);

    internal static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;
}
