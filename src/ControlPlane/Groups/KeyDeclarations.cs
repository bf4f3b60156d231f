using PerfTest.ControlPlane.Reports;
using PerfTest.ControlPlane.Runs;
using PerfTest.Executor.Contract;

namespace PerfTest.ControlPlane.Groups;

/// <summary>
/// Keeps the metric keys the first executor of a case run declared, and checks every other executor's against them:
/// executors that compiled the plan differently would otherwise add up different cards under one key.
/// </summary>
public sealed class KeyDeclarations(RunStore runs)
{
    /// <summary>Returns the error that ends the case run, or null.</summary>
    public async Task<string?> DeclareAsync(ActiveRun run, long caseRunId, string executorId, IReadOnlyList<MetricKey> keys)
    {
        var declared = run.DeclaredKeys.GetOrAdd(caseRunId, (executorId, [.. keys]));
        if (declared.Executor == executorId)
        {
            await runs.SetCaseRunKeysAsync(caseRunId, ReportKeys.Serialize(keys));
            return null;
        }
        return ReportKeys.Same(declared.Keys, keys) ? null
            : $"executor {executorId} measures other metric keys than executor {declared.Executor} for the same plan " +
              $"({ReportKeys.Describe(keys)} against {ReportKeys.Describe(declared.Keys)}): are they different PerfTest versions?";
    }
}
