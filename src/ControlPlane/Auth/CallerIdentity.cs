namespace PerfTest.ControlPlane.Auth;

/// <summary>Who is calling and which IAM project ids they may use; null ids means any (anonymous dev mode).</summary>
public sealed record CallerIdentity(string Name, IReadOnlySet<string>? ProjectIds)
{
    public bool MayUse(string projectId) => ProjectIds is null || ProjectIds.Contains(projectId);
}
