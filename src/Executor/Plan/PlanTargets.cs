using PerfTest.Protocols.Targets;
using PerfTest.Executor.Contract;

namespace PerfTest.Executor.Plan;

/// <summary>
/// The target policy as a plan carries it (plan.proto TargetPolicy) and as the clients enforce it
/// (<see cref="TargetPolicy"/>): the control plane writes it, every executor (embedded or standalone) reads it.
/// </summary>
public static class PlanTargets
{
    /// <summary>The plan's form of the rules.</summary>
    public static TargetRules ToPlan(TargetList allow, TargetList deny)
    {
        ArgumentNullException.ThrowIfNull(allow);
        ArgumentNullException.ThrowIfNull(deny);
        var plan = new TargetRules();
        plan.AllowNetworks.AddRange(allow.Networks.Select(n => n.ToString()));
        plan.AllowHosts.AddRange(allow.Hosts.Select(h => h.ToString()));
        plan.DenyNetworks.AddRange(deny.Networks.Select(n => n.ToString()));
        plan.DenyHosts.AddRange(deny.Hosts.Select(h => h.ToString()));
        return plan;
    }

    /// <summary>The policy a plan's cards run under; a plan without one: public addresses only.</summary>
    /// <param name="plan">The plan's targets, or null.</param>
    /// <param name="refused">Told of every refusal (a debug run), or null.</param>
    /// <exception cref="FormatException">An entry that is not a network (in a networks list) or a host name (in a hosts list).</exception>
    public static TargetPolicy FromPlan(TargetRules? plan, Action<string>? refused = null) => plan is null
        ? new TargetPolicy(TargetList.Empty, TargetList.Empty, refused)
        : new TargetPolicy(List(plan.AllowNetworks, plan.AllowHosts), List(plan.DenyNetworks, plan.DenyHosts), refused);

    private static TargetList List(IEnumerable<string> networks, IEnumerable<string> hosts) =>
        new([.. networks.Select(Network.Parse)], [.. hosts.Select(Host)]);

    private static HostPattern Host(string text) =>
        HostPattern.TryParse(text, out var host) ? host! : throw new FormatException($"'{text}' is not a host name");
}
