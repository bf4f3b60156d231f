namespace PerfTest.ControlPlane.Quotas;

/// <summary>
/// Section "Limits": how much load one stage, one tenant and one task may ask for; docs/security.md#quotas gives the
/// reasons for the defaults (a 2-core machine with the embedded executor).
/// </summary>
public sealed class QuotaOptions
{
    /// <summary>Section "Limits:Executor": what one stage may ask of an executor.</summary>
    public ExecutorQuota Executor { get; set; } = new();

    /// <summary>Section "Limits:Tenant": what one IAM project may run at once.</summary>
    public TenantQuota Tenant { get; set; } = new();

    /// <summary>Cases one task may hold (and run).</summary>
    public int MaxCasesPerTask { get; set; } = 100;
}

/// <summary>Section "Limits:Executor".</summary>
public sealed class ExecutorQuota
{
    /// <summary>VUs of a stage: issue_num, current_user_num, and minimum/maximum of the concurrency modes.</summary>
    public int MaxVus { get; set; } = 10_000;

    /// <summary>Connections a stage may open: its VUs times the distinct targets (host and port) of its case.</summary>
    public int MaxConnections { get; set; } = 60_000;

    /// <summary>Iterations per second of a stage: tps_value, current_tps, and minimum/maximum of the TPS modes.</summary>
    public int MaxTps { get; set; } = 200_000;
}

/// <summary>Section "Limits:Tenant".</summary>
public sealed class TenantQuota
{
    /// <summary>Task runs one IAM project may have waiting, running or stopping at once.</summary>
    public int MaxConcurrentRuns { get; set; } = 5;

    /// <summary>VUs (each run's peak) one IAM project may have across its running task runs.</summary>
    public int MaxRunningVus { get; set; } = 20_000;
}
