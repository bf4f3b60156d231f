using System.Text.Json;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// What a PerfTest image runs, read from its Dockerfile (deploy/*.Dockerfile): the project it publishes
/// (<c>RUN dotnet publish src/X</c>) and, from its last stage, ENTRYPOINT, CMD, WORKDIR and ENV, on top of the base
/// image's environment. The simulation runs the entrypoint in that project's build output of the test's configuration
/// (src/X/bin/Release/net10.0 under a Release test run), which stands in for WORKDIR.
/// </summary>
internal sealed partial class ContainerImage
{
    /// <summary>The environment mcr.microsoft.com/dotnet/aspnet:10.0 sets, under the Dockerfile's own ENV.</summary>
    private static readonly Dictionary<string, string> AspNetBaseEnvironment = new()
    {
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    };

    /// <summary>The image names of the manifests and the Dockerfiles that build them (docs/deployment.md, step 1).</summary>
    private static readonly Dictionary<string, string> Dockerfiles = new()
    {
        ["perftest-control-plane"] = "ControlPlane.Dockerfile",
        ["perftest-executor"] = "Executor.Dockerfile",
    };

    private ContainerImage(string appDirectory, IReadOnlyList<string> entrypoint, IReadOnlyList<string> cmd, string workDir,
        IReadOnlyDictionary<string, string> env, string user)
    {
        User = user;
        AppDirectory = appDirectory;
        Entrypoint = entrypoint;
        Cmd = cmd;
        WorkDir = workDir;
        Environment = env;
    }

    /// <summary>The build output standing in for the image's WORKDIR.</summary>
    public string AppDirectory { get; }

    public IReadOnlyList<string> Entrypoint { get; }

    public IReadOnlyList<string> Cmd { get; }

    public string WorkDir { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The last stage's USER, with $VARIABLES of its environment expanded; "root" when it sets none.</summary>
    public string User { get; }

    /// <summary>The images the manifests name.</summary>
    public static IReadOnlyCollection<string> Names => Dockerfiles.Keys;

    /// <summary>The image <paramref name="image"/> (name[:tag]) as its Dockerfile in deploy/ builds it.</summary>
    public static ContainerImage Of(string image)
    {
        var name = image.Split(':')[0];
        if (!Dockerfiles.TryGetValue(name, out var dockerfile))
        {
            throw new NotSupportedException($"image {image}: the simulation runs only PerfTest's own images ({string.Join(", ", Dockerfiles.Keys)})");
        }
        var root = Rendered.RepositoryRoot();
        var lines = File.ReadAllLines(Path.Combine(root, "deploy", dockerfile));
        var project = lines.Select(l => Publish().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new InvalidOperationException($"{dockerfile} has no RUN dotnet publish src/...");
        // This test's own output is .../bin/<configuration>/<framework>/: the project's is built alike.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var appDirectory = Path.Combine(root, project, "bin", testOutput.Parent!.Name, testOutput.Name);
        var lastStage = lines.Skip(Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        var entrypoint = new List<string>();
        var cmd = new List<string>();
        var workDir = "/";
        var user = "root";
        var env = new Dictionary<string, string>(AspNetBaseEnvironment);
        foreach (var line in lastStage.Select(l => l.Trim()))
        {
            var (instruction, rest) = line.IndexOf(' ') is var space and > 0 ? (line[..space], line[(space + 1)..].Trim()) : (line, "");
            switch (instruction)
            {
                case "ENTRYPOINT":
                    entrypoint = JsonSerializer.Deserialize<List<string>>(rest) ?? [];
                    break;
                case "CMD":
                    cmd = JsonSerializer.Deserialize<List<string>>(rest) ?? [];
                    break;
                case "USER":
                    user = rest.StartsWith('$') && env.TryGetValue(rest.TrimStart('$').Trim('{', '}'), out var value) ? value : rest;
                    break;
                case "WORKDIR":
                    workDir = rest;
                    break;
                case "ENV":
                    foreach (var pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var eq = pair.IndexOf('=');
                        env[pair[..eq]] = pair[(eq + 1)..];
                    }
                    break;
            }
        }
        return entrypoint.Count > 0 ? new ContainerImage(appDirectory, entrypoint, cmd, workDir, env, user)
            : throw new InvalidOperationException($"{dockerfile} has no ENTRYPOINT [...] in its last stage");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^RUN dotnet publish (\S+)")]
    private static partial System.Text.RegularExpressions.Regex Publish();
}
