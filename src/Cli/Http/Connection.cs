namespace PerfTest.Cli.Http;

/// <summary>How to reach the API and prove who we are: AK/SK, a token, or nothing (a control plane in dev mode).</summary>
public sealed record Connection(Uri Endpoint, string ProjectId, Credentials Credentials)
{
    public const string DefaultEndpoint = "http://127.0.0.1:5080";
}

/// <summary>The secrets come from the environment or a file, never from a command line (ps would show them).</summary>
public abstract record Credentials
{
    public sealed record None : Credentials;

    public sealed record AccessKey(string Ak, string Sk) : Credentials
    {
        /// <summary>The secret key never reaches a log or an exception message.</summary>
        public override string ToString() => $"AccessKey {{ Ak = {Ak} }}";
    }

    public sealed record Token(string Value) : Credentials
    {
        public override string ToString() => "Token";
    }
}
