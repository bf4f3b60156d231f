namespace PerfTest.Executor.Running;

/// <summary>How an <see cref="ExecutorEngine"/> treats plans whose stream broke or falls behind.</summary>
public sealed record EngineOptions
{
    /// <summary>The default of <see cref="OrphanGrace"/> (Executor:OrphanGraceSeconds).</summary>
    public static readonly TimeSpan DefaultOrphanGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a plan runs on after its Run (or Attach) stream broke, waiting for a control plane to Attach; then its
    /// load stops at once. Zero: it stops at once when its stream breaks.
    /// </summary>
    public TimeSpan OrphanGrace { get; init; } = DefaultOrphanGrace;

    /// <summary>
    /// How many of a plan's latest snapshots are kept for a replay: one a second over the grace, and half a minute
    /// more for a control plane that reconnects late in it or stored the last seconds before the break late.
    /// </summary>
    /// <summary>
    /// How many bytes of snapshots a plan's outbox holds while its stream takes them slower than they come (or no
    /// stream is attached); past that the plan stops with <see cref="Streaming.PlanOutbox.FullReason"/>, since going on
    /// would mean dropping seconds or running out of memory.
    /// </summary>
    public long OutboxMaxBytes { get; init; } = Streaming.PlanOutbox.DefaultMaxBytes;

    public int KeptSnapshots => (int)Math.Ceiling(OrphanGrace.TotalSeconds) + 30;
}
