using System.CommandLine;
using PerfTest.Cli.Http;

namespace PerfTest.Cli;

/// <summary>The connection options every command takes, and the client they make.</summary>
public sealed class Globals(CliEnvironment env)
{
    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        HelpName = "URL",
        Description = "The API's base address (env PERFTEST_ENDPOINT; default " + Connection.DefaultEndpoint + ")",
        Recursive = true,
    };

    public Option<string?> ProjectId { get; } = new("--project-id")
    {
        HelpName = "ID",
        Description = "The IAM project id of every path (env PERFTEST_PROJECT_ID)",
        Recursive = true,
    };

    public Option<FileInfo?> SkFile { get; } = new("--sk-file")
    {
        HelpName = "FILE",
        Description = "A file holding the secret key (else env PERFTEST_SK); the access key is env PERFTEST_AK",
        Recursive = true,
    };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        HelpName = "FILE",
        Description = "A file holding an X-Auth-Token (else env PERFTEST_TOKEN)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Endpoint);
        root.Options.Add(ProjectId);
        root.Options.Add(SkFile);
        root.Options.Add(TokenFile);
    }

    public CliEnvironment Env => env;

    /// <summary>The client of this invocation; a usage error when no project id was given or a secret is half there.</summary>
    public ApiClient Connect(ParseResult parse)
    {
        var endpoint = parse.GetValue(Endpoint) ?? Var("PERFTEST_ENDPOINT") ?? Connection.DefaultEndpoint;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"--endpoint {endpoint} is not an http(s) address");
        }
        var project = parse.GetValue(ProjectId) ?? Var("PERFTEST_PROJECT_ID")
            ?? throw CliException.Usage("no project id: give --project-id or set PERFTEST_PROJECT_ID");
        return new ApiClient(new Connection(uri, project, Credentials(parse)));
    }

    private Credentials Credentials(ParseResult parse)
    {
        var ak = Var("PERFTEST_AK");
        var sk = Secret(parse.GetValue(SkFile), "PERFTEST_SK");
        if (ak is not null || sk is not null)
        {
            return ak is null || sk is null
                ? throw CliException.Usage("AK/SK signing needs both PERFTEST_AK and the secret key (PERFTEST_SK or --sk-file)")
                : new Credentials.AccessKey(ak, sk);
        }
        var token = Secret(parse.GetValue(TokenFile), "PERFTEST_TOKEN");
        return token is null ? new Credentials.None() : new Credentials.Token(token);
    }

    private string? Secret(FileInfo? file, string variable)
    {
        if (file is null)
        {
            return Var(variable);
        }
        return file.Exists ? File.ReadAllText(file.FullName).Trim() : throw CliException.Usage($"{file.FullName} does not exist");
    }

    private string? Var(string name) => env.Variable(name) is { Length: > 0 } v ? v : null;
}
