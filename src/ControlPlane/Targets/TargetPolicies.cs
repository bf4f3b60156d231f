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

    private readonly TargetRules _deployment;
    private readonly Dictionary<string, TargetRules> _projects;

    /// <exception cref="InvalidOperationException">An entry that is neither a network, an address nor a host name; the message names its key.</exception>
    public TargetPolicies(TargetsOptions options, bool anonymousDevMode)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allow = anonymousDevMode ? [.. s_loopback, .. options.Allow] : options.Allow;
        _deployment = Rules(allow, options.Deny, "Targets");
        // A project's rules are the deployment's and its own: made once here, not at every start.
        _projects = options.Projects.ToDictionary(p => p.Key,
            p => Rules([.. allow, .. p.Value.Allow], [.. options.Deny, .. p.Value.Deny], $"Targets:Projects:{p.Key}"));
    }

    /// <summary>The rules a plan of <paramref name="tenant"/> (an IAM project id) carries to its executors.</summary>
    public TargetRules For(string tenant) => _projects.GetValueOrDefault(tenant, _deployment).Clone();  // each plan its own copy

    /// <summary>The plan's rules of <paramref name="allow"/> and <paramref name="deny"/>; a bad entry names <paramref name="key"/>.</summary>
    private static TargetRules Rules(List<string> allow, List<string> deny, string key) =>
        PlanTargets.ToPlan(Parsed(allow, key + ":Allow"), Parsed(deny, key + ":Deny"));

    private static TargetList Parsed(List<string> entries, string key)
    {
        try
        {
            return TargetList.Parse(entries);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{key}: {e.Message}", e);
        }
    }
}
