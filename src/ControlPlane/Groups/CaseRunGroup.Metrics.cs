namespace PerfTest.ControlPlane.Groups;

/// <summary>The group as /metrics shows it: its members by state, and its end.</summary>
public sealed partial class CaseRunGroup
{
    private static readonly MemberState[] States = Enum.GetValues<MemberState>();

    /// <summary>Sets perftest_case_run_executors from the members as they are now (every state, 0 included).</summary>
    private void PublishMembers()
    {
        (string, int)[] counts;
        lock (_lock)
        {
            counts = States.Select(s => (s.ToString().ToLowerInvariant(), _members.Values.Count(m => m.State == s))).ToArray();
        }
        services.Metrics.Members(run, CaseRunId, counts);
    }

    /// <summary>Every stream ended: the last member states, VUs to 0, and the series' retention starts.</summary>
    private void PublishEnded()
    {
        PublishMembers();
        services.Metrics.Ended(run, CaseRunId);
    }
}
