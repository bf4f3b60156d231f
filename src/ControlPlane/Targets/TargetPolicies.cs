using PerfTest.Executor.Contract;
using PerfTest.Executor.Plan;
using PerfTest.Protocols.Targets;

namespace PerfTest.ControlPlane.Targets;

/// <summary>
/// The target policy each IAM project's plans carry: the deployment's lists plus the project's own, and loopback
/// allowed in anonymous dev mode (no credentials, so the API listens on loopback only and a developer's first run
/// aims at a server on the same machine). Read once at start; a bad entry stops the start, naming its key.
/// </summary>
public sealed class TargetPolicies
{
    private static readonly string[] s_loopback = ["127.0.0.0/8", "::1/128"];

    private readonly (List<string> Allow, List<string> Deny) _deployment;
    private readonly Dictionary<string, (List<string> Allow, List<string> Deny)> _projects;

    /// <exception cref="InvalidOperationException">An entry that is neither a network, an address nor a host name; the message names its key.</exception>
    public TargetPolicies(TargetsOptions options, bool anonymousDevMode)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allow = anonymousDevMode ? [.. s_loopback, .. options.Allow] : options.Allow;
        _deployment = (Checked(allow, "Targets:Allow"), Checked(options.Deny, "Targets:Deny"));
        _projects = options.Projects.ToDictionary(p => p.Key, p => (
            Checked(p.Value.Allow, $"Targets:Projects:{p.Key}:Allow"), Checked(p.Value.Deny, $"Targets:Projects:{p.Key}:Deny")));
    }

    /// <summary>The rules a plan of <paramref name="tenant"/> (an IAM project id) carries to its executors.</summary>
    public TargetRules For(string tenant)
    {
        var (allow, deny) = _projects.TryGetValue(tenant, out var project)
            ? ([.. _deployment.Allow, .. project.Allow], [.. _deployment.Deny, .. project.Deny])
            : _deployment;
        return PlanTargets.ToPlan(TargetList.Parse(allow), TargetList.Parse(deny));
    }

    private static List<string> Checked(List<string> entries, string key)
    {
        try
        {
            TargetList.Parse(entries);
            return entries;
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{key}: {e.Message}", e);
        }
    }
}
