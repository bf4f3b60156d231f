namespace PerfTest.Protocols.Targets;

/// <summary>
/// The target policy refused a target: nothing was sent to it. An IOException, so every client counts it as a failed
/// connect (Outcome.Other: not a refusal by the peer, which never saw a packet).
/// </summary>
public sealed class TargetRefusedException(string reason) : IOException($"refused by the target policy: {reason}")
{
    /// <summary>What was refused and why, e.g. "169.254.169.254 is link-local".</summary>
    public string Reason { get; } = reason;
}
