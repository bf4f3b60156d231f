using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Observability;
using PerfTest.ControlPlane.Runs;

namespace PerfTest.ControlPlane.Groups;

/// <summary>What every <see cref="CaseRunGroup"/> uses: the stores, the clock, and how long it waits for an executor.</summary>
public sealed class GroupServices(RunStore runs, GroupChangeStore changes, KeyDeclarations keys, ExecutorsOptions options,
    TimeProvider clock, ILogger<CaseRunGroup> logger, ControlPlaneMetrics metrics)
{
    /// <summary>/metrics: what the stored seconds say, and the group's members.</summary>
    public ControlPlaneMetrics Metrics { get; } = metrics;

    public RunStore Runs { get; } = runs;
    public GroupChangeStore Changes { get; } = changes;
    public KeyDeclarations Keys { get; } = keys;
    public TimeProvider Clock { get; } = clock;
    public ILogger Logger { get; } = logger;
    public bool AcceptAnyCertificate { get; } = options.AcceptAnyCertificate;

    /// <summary>The seconds an executor's second may be stored under.</summary>
    public SecondWindow Seconds { get; } = new(clock, TimeSpan.FromSeconds(options.MaxClockSkewSeconds));

    /// <summary>A member that sends no second for this long is attached again, then lost (Executors:SilenceSeconds).</summary>
    public TimeSpan Silence { get; } = TimeSpan.FromSeconds(options.SilenceSeconds);

    /// <summary>How long a member's first second may take: the executor may still warm up and compile the plan.</summary>
    public TimeSpan FirstSecondTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a call to an executor (reshare, stop) may take before it is given up.</summary>
    public TimeSpan CallTimeout { get; } = TimeSpan.FromSeconds(2);
}
