using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Cases;
using PerfTest.ControlPlane.Runs;

namespace PerfTest.ControlPlane.Quotas;

/// <summary>
/// The checks of a start: every case against the stage limits (they may have been lowered since it was saved), the
/// task's case count, and the tenant's runs: how many it has active, and their VUs together (Limits:Tenant).
/// </summary>
public sealed class RunQuota(CaseQuota cases, QuotaOptions options, RunLeaseStore leases)
{
    /// <summary>The task run document member that keeps a run's peak VUs, which the tenant's later starts add up.</summary>
    public const string PeakVusMember = "peak_vus";

    /// <summary>
    /// Checks a start of the task with its enabled <c>caseRows</c>; returns the run's peak VUs (parallel cases add up,
    /// serial ones do not). <c>startingHere</c>: the runs this control plane owns; those not yet in the database count too.
    /// </summary>
    /// <exception cref="ApiException">400 <see cref="ErrorCodes.QuotaExceeded"/> naming the limit.</exception>
    public async Task<long> CheckStartAsync(string tenant, long taskId, bool parallel, IReadOnlyList<CaseRow> caseRows,
        IReadOnlyCollection<ActiveRun> startingHere)
    {
        cases.CheckCaseCount(caseRows.Count, $"task {taskId}");
        var peaks = new List<long>();
        foreach (var row in caseRows)
        {
            var doc = ApiJson.ParseObject(row.Doc);
            cases.CheckCase(doc, $"case {row.Id} ({row.Name}): ");
            peaks.Add(CaseQuota.PeakVus(doc));
        }
        var peak = parallel ? peaks.Sum() : peaks.DefaultIfEmpty(0).Max();
        var active = await leases.ActiveOfTenantAsync(tenant);
        var starting = startingHere.Where(r => r.Tenant == tenant && r.TaskRunId == 0).ToList();
        var limits = options.Tenant;
        if (active.Count + starting.Count >= limits.MaxConcurrentRuns)
        {
            throw CaseQuota.Exceeded($"project {tenant} has {active.Count + starting.Count} task runs active; the limit is " +
                $"{limits.MaxConcurrentRuns} (Limits:Tenant:MaxConcurrentRuns): stop one first");
        }
        var running = active.Sum(r => ApiJson.ParseObject(r.Doc)[PeakVusMember] is JsonValue v && v.TryGetValue(out long x) ? x : 0)
            + starting.Sum(r => r.PeakVus);
        if (running + peak > limits.MaxRunningVus)
        {
            throw CaseQuota.Exceeded($"task {taskId} needs up to {peak} VUs and project {tenant} runs {running} already; the limit is " +
                $"{limits.MaxRunningVus} VUs (Limits:Tenant:MaxRunningVus)");
        }
        return peak;
    }
}
