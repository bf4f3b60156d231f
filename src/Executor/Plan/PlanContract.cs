namespace PerfTest.Executor.Plan;

/// <summary>
/// The version of the plan contract (executor.proto and plan.proto) this build speaks. A control plane and an
/// executor of different versions refuse each other at registration, and an executor refuses a plan of another
/// version, so a plan is never read by a build that would misread it. Bump it with any change of meaning.
/// </summary>
public static class PlanContract
{
    /// <summary>
    /// 1: the stored case as a JSON document; 2: the typed CasePlan, metric keys declared in the stream; 3: the plan
    /// carries the target policy (an executor of version 2 would ignore it and connect anywhere).
    /// </summary>
    public const int Version = 3;

    /// <summary>The refusal, naming both versions.</summary>
    /// <param name="otherVersion">The other side's version (0 when it sent none: version 1 sent none).</param>
    /// <param name="other">Who the other side is, e.g. "the control plane" or "executor e-1".</param>
    /// <param name="self">Who this side is, e.g. "this executor".</param>
    public static string Mismatch(int otherVersion, string other, string self) =>
        $"plan version mismatch: {other} speaks plan version {(otherVersion == 0 ? 1 : otherVersion)}, {self} speaks plan version {Version}; run the same PerfTest version on both";
}
