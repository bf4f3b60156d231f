using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfTest.ControlPlane.Tests.Api;

/// <summary>
/// Random mutations of the documented example bodies, sent to every write endpoint of a real
/// server: no 5xx, every 4xx carries the error body, and the stored data stays intact.
/// The seed is fixed so that a failure can be replayed.
/// </summary>
public abstract class FuzzContract(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MutationsPerEndpoint = 70;
    private Backend _backend = null!;
    private ControlPlaneServer _server = null!;

    protected abstract string Provider { get; }

    public async Task InitializeAsync()
    {
        _backend = await Backend.NewAsync(Provider);
        _server = await ControlPlaneServer.StartAsync(_backend.Settings());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Fixture(long Project, long Task, long Case, long Directory, long NewCase, long NewTask, long Variable, long Template);

    private Task<Fixture> SeedAsync(string tenant) => SeedAsync(_server.Http, tenant);

    private static async Task<Fixture> SeedAsync(HttpClient http, string tenant)
    {
        var p = $"/v1/{tenant}";
        var project = (await http.PostJsonAsync($"{p}/test-suites", DocExamples.CreateProject)).Object["project_id"]!.GetValue<long>();
        var task = (await http.PostJsonAsync($"{p}/tasks", DocExamples.CreateTask.With(project))).Object["task_id"]!.GetValue<long>();
        var caseId = (await http.PostJsonAsync($"{p}/task-cases", DocExamples.CreateCase.With(task))).Object["json"]!["task_case_id"]!.GetValue<long>();
        await http.PutJsonAsync($"{p}/task-cases/{caseId}/target/content", DocExamples.UpdateCaseContent);
        await http.PutJsonAsync($"{p}/task-cases/{caseId}/target/stage", DocExamples.UpdateCaseStage);
        var directory = (await http.PostJsonAsync($"{p}/test-suites/{project}/directory", DocExamples.CreateDirectory)).Object["directory_id"]!.GetValue<long>();
        var newCase = (await http.PostJsonAsync($"/v2/{tenant}/test-cases", NewCaseBody(directory))).Object["json"]!["test_case_id"]!.GetValue<long>();
        var newTask = (await http.PostJsonAsync($"/v3/{tenant}/tasks", DocExamples.CreateTaskV3.With(project, newCase))).Object["task_id"]!.GetValue<long>();
        var variable = (await http.PostJsonAsync($"{p}/variables/{project}", DocExamples.CreateVariable)).Object["json"]!["variable_id"]!.GetValue<long>();
        var template = (await http.PostJsonAsync($"{p}/templates", DocExamples.CreateTemplate.With(project))).Object["tempId"]!.GetValue<long>();
        return new Fixture(project, task, caseId, directory, newCase, newTask, variable, template);
    }

    private static string NewCaseBody(long directory) =>
        $$"""{ "name": "v2case", "directory_id": {{directory}}, "contents": {{JsonNode.Parse(DocExamples.UpdateCaseContent)!["contents"]!.ToJsonString()}}, "stages": {{JsonNode.Parse(DocExamples.UpdateCaseStage)!["stages"]!.ToJsonString()}} }""";

    private static List<(HttpMethod Method, string Path, string Body)> WriteEndpoints(string t, Fixture f) =>
    [
        (HttpMethod.Post, $"/v1/{t}/test-suites", DocExamples.CreateProject),
        (HttpMethod.Put, $"/v1/{t}/test-suites/{f.Project}", DocExamples.UpdateProject.With(f.Project)),
        (HttpMethod.Post, $"/v1/{t}/tasks", DocExamples.CreateTask.With(f.Project)),
        (HttpMethod.Put, $"/v1/{t}/tasks/{f.Task}", DocExamples.UpdateTask.With(f.Project, f.Task)),
        (HttpMethod.Post, $"/v3/{t}/tasks", DocExamples.CreateTaskV3.With(f.Project, f.NewCase)),
        (HttpMethod.Put, $"/v3/{t}/tasks/{f.NewTask}", DocExamples.CreateTaskV3.With(f.Project, f.NewCase)),
        (HttpMethod.Post, $"/v1/{t}/task-cases", DocExamples.CreateCase.With(f.Task)),
        (HttpMethod.Put, $"/v1/{t}/task-cases/{f.Case}/target/content", DocExamples.UpdateCaseContent),
        (HttpMethod.Put, $"/v1/{t}/task-cases/{f.Case}/target/stage", DocExamples.UpdateCaseStage),
        (HttpMethod.Put, $"/v1/{t}/task-cases/{f.Case}/target/name", DocExamples.UpdateCaseName),
        (HttpMethod.Post, $"/v2/{t}/test-cases", NewCaseBody(f.Directory)),
        (HttpMethod.Put, $"/v2/{t}/test-cases/{f.NewCase}", NewCaseBody(f.Directory)),
        (HttpMethod.Post, $"/v1/{t}/variables/{f.Project}", DocExamples.CreateVariable),
        (HttpMethod.Put, $"/v1/{t}/variables/{f.Project}", DocExamples.UpdateVariable.With(f.Variable)),
        (HttpMethod.Post, $"/v1/{t}/templates", DocExamples.CreateTemplate.With(f.Project)),
        (HttpMethod.Put, $"/v1/{t}/templates/{f.Template}", DocExamples.UpdateTemplate.With(f.Project, f.Template)),
        (HttpMethod.Post, $"/v1/{t}/test-suites/{f.Project}/directory", DocExamples.CreateDirectory),
        (HttpMethod.Put, $"/v1/{t}/test-suites/{f.Project}/directory/{f.Directory}", DocExamples.CreateDirectory),
    ];

    private static List<string> ReadPaths(string t, Fixture f) =>
    [
        $"/v1/{t}/test-suites", $"/v1/{t}/test-suites/{f.Project}", $"/v1/{t}/all-tasks/{f.Project}", $"/v1/{t}/tasks/{f.Task}",
        $"/v1/{t}/tasks/{f.NewTask}", $"/v2/{t}/test-cases/{f.NewCase}", $"/v1/{t}/variables/0/test-suites/{f.Project}",
        $"/v1/{t}/all-templates/{f.Project}", $"/v1/{t}/templates/{f.Template}", $"/v1/{t}/test-suites/{f.Project}/directory",
        $"/v1/{t}/test-suites/{f.Project}/tasks/{f.NewTask}/test-cases",
    ];

    [Fact]
    public async Task Random_mutations_of_the_documented_bodies_never_cause_a_5xx_nor_harm_stored_data()
    {
        var sentinel = await SeedAsync("sentinel01");
        var before = new List<string>();
        foreach (var path in ReadPaths("sentinel01", sentinel))
        {
            before.Add((await _server.Http.GetJsonAsync(path)).Text);
        }

        var target = await SeedAsync("fuzz01");
        var random = new Random(20261126);
        var sent = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var (method, path, body) in WriteEndpoints("fuzz01", target))
        {
            for (var i = 0; i < MutationsPerEndpoint; i++)
            {
                var mutated = Mutator.Mutate(body, random);
                var mutatedPath = random.Next(10) == 0 ? Mutator.MutatePath(path, random) : path;
                var r = await _server.Http.SendJsonAsync(method, mutatedPath, mutated);
                sent++;
                statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
                Assert.True(r.Status < 500, $"{method} {mutatedPath} with {Shorten(mutated)} -> {r.Status} {r.Text}");
                if (r.Status >= 400)
                {
                    var error = r.Object;
                    Assert.Matches(@"^CPTS\.\d{8}$", error["error_code"]!.GetValue<string>());
                    Assert.False(string.IsNullOrWhiteSpace(error["error_msg"]!.GetValue<string>()));
                }
            }
        }
        output.WriteLine($"{sent} mutations on {Provider}; statuses: {string.Join(", ", statuses.Select(kv => $"{kv.Key}x{kv.Value}"))}");
        Assert.True(sent >= 1000, $"only {sent} mutations sent");
        Assert.True(statuses.Keys.Any(s => s < 300) && statuses.Keys.Any(s => s == 400), string.Join(", ", statuses));

        var after = new List<string>();
        foreach (var path in ReadPaths("sentinel01", sentinel))
        {
            after.Add((await _server.Http.GetJsonAsync(path)).Text);
        }
        Assert.Equal(before, after);
        foreach (var path in ReadPaths("fuzz01", target))
        {
            var r = await _server.Http.GetJsonAsync(path);
            Assert.True(r.Status is 200 or 404, $"{path} -> {r.Status} {r.Text}");
        }
        if (Provider == "Sqlite")
        {
            await using var db = new SqliteConnection($"Data Source={_backend.Location}");
            Assert.Equal("ok", await db.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pragma_foreign_key_check"));
        }
    }

    private static async Task<List<string>> ReadAllAsync(HttpClient http, string tenant, Fixture f)
    {
        var texts = new List<string>();
        foreach (var path in ReadPaths(tenant, f))
        {
            texts.Add((await http.GetJsonAsync(path)).Text);
        }
        return texts;
    }

    private static void AssertErrorBody(ApiResponse r, int status, string named)
    {
        Assert.True(r.Status == status, $"expected {status}, got {r.Status} {r.Text}");
        Assert.Matches(@"^CPTS\.\d{8}$", r.Object["error_code"]!.GetValue<string>());
        Assert.Contains(named, r.Object["error_msg"]!.GetValue<string>());
    }

    /// <summary>What a web page could send to a dev-mode service on loopback, each refused before any endpoint runs.</summary>
    private static readonly (int Status, string Named, Action<HttpRequestMessage> Change)[] CrossSite =
    [
        (415, "application/json", m => { m.Content!.Headers.Remove("Content-Type"); m.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded"); }),
        (415, "application/json", m => { m.Content!.Headers.Remove("Content-Type"); m.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain"); }),
        (403, "Host", m => m.Headers.Host = "rebound.example"),
        (403, "Origin", m => m.Headers.TryAddWithoutValidation("Origin", "https://evil.example")),
        (403, "cross-site", m => m.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site")),
    ];

    [Fact]
    public async Task Cross_site_requests_in_dev_mode_are_refused_with_the_error_body_and_change_nothing()
    {
        var target = await SeedAsync("fuzz02");
        var before = await ReadAllAsync(_server.Http, "fuzz02", target);
        var random = new Random(20261206);
        foreach (var (method, path, body) in WriteEndpoints("fuzz02", target))
        {
            for (var i = 0; i < 10; i++)
            {
                var (status, named, change) = CrossSite[random.Next(CrossSite.Length)];
                var mutated = NonEmpty(random.Next(2) == 0 ? body : Mutator.Mutate(body, random), body);
                AssertErrorBody(await _server.Http.SendJsonAsync(method, path, mutated, change), status, named);
            }
        }
        Assert.Equal(before, await ReadAllAsync(_server.Http, "fuzz02", target));
    }

    [Fact]
    public async Task Replays_and_unsigned_payloads_are_refused_with_the_error_body_and_change_nothing()
    {
        var backend = await Backend.NewAsync(Provider);
        await using var server = await ControlPlaneServer.StartAsync(backend.Settings(new Dictionary<string, string?>
        {
            ["Auth:Credentials:0:AccessKey"] = "FUZZAK",
            ["Auth:Credentials:0:SecretKey"] = "fuzz-sk",
            ["Auth:Credentials:0:ProjectIds:0"] = "fuzz03",
            ["Auth:Tokens:0:Token"] = "fuzz-token",
            ["Auth:Tokens:0:ProjectIds:0"] = "fuzz03",
        }));
        server.Http.DefaultRequestHeaders.Add("X-Auth-Token", "fuzz-token");
        var target = await SeedAsync(server.Http, "fuzz03");
        var signed = new PerfTest.ControlPlane.Tests.Auth.SignedClient(server, "FUZZAK", "fuzz-sk", "fuzz03");
        var random = new Random(20261207);
        var at = DateTime.UtcNow;
        foreach (var (method, path, body) in WriteEndpoints("fuzz03", target))
        {
            for (var i = 0; i < 4; i++)
            {
                var mutated = NonEmpty(Mutator.Mutate(body, random), body);
                at = at.AddSeconds(1);
                AssertErrorBody(await signed.SendAsync(method, path, mutated, at,
                    prepare: m => m.Headers.TryAddWithoutValidation("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")), 401, "UNSIGNED-PAYLOAD");
                var first = await signed.SendAsync(method, path, mutated, at);
                Assert.True(first.Status < 500, $"{method} {path} with {Shorten(mutated)} -> {first.Status} {first.Text}");
                var before = await ReadAllAsync(server.Http, "fuzz03", target);
                AssertErrorBody(await signed.SendAsync(method, path, mutated, at), 401, "replayed signature");
                Assert.Equal(before, await ReadAllAsync(server.Http, "fuzz03", target));
            }
        }
    }

    /// <summary>The stage members that carry VUs or iterations per second in a pressure mode, and the default limit of each.</summary>
    private static readonly (int PressureMode, string Member, long Limit)[] LoadMembers =
    [
        (0, "issue_num", 10_000), (0, "current_user_num", 10_000), (1, "tps_value", 200_000), (1, "issue_num", 10_000),
        (3, "maximum", 10_000), (4, "maximum", 200_000),
    ];

    [Fact]
    public async Task Loads_over_the_quotas_are_refused_naming_member_and_limit_and_change_nothing()
    {
        var target = await SeedAsync("fuzz04");
        var before = await ReadAllAsync(_server.Http, "fuzz04", target);
        var random = new Random(20261208);
        var stagePath = $"/v1/fuzz04/task-cases/{target.Case}/target/stage";
        for (var i = 0; i < 60; i++)
        {
            var stage = JsonNode.Parse(DocExamples.UpdateCaseStage)!.AsObject();
            var (mode, member, limit) = LoadMembers[random.Next(LoadMembers.Length)];
            // Just over the limit, anywhere up to 2^31 - 1, or 2^31 and beyond (as the API once took).
            var value = random.Next(3) switch
            {
                0 => limit + 1,
                1 => limit + 1 + random.NextInt64(int.MaxValue - limit - 1),
                _ => (long)int.MaxValue + 1 + random.NextInt64(1L << 40),
            };
            stage["stages"]![0]!["pressure_mode"] = mode;
            stage["stages"]![0]![member] = value;
            var r = await _server.Http.SendJsonAsync(HttpMethod.Put, stagePath, stage.ToJsonString());
            Assert.True(r.Status == 400, $"{member} = {value} -> {r.Status} {r.Text}");
            Assert.Matches(@"^CPTS\.\d{8}$", r.Object["error_code"]!.GetValue<string>());
            Assert.Contains(member, r.Object["error_msg"]!.GetValue<string>());
        }
        Assert.Equal(before, await ReadAllAsync(_server.Http, "fuzz04", target));
    }

    /// <summary>The refusals below are of bodies; an empty mutation has none, so the documented body stands in.</summary>
    private static string NonEmpty(string mutated, string body) => mutated.Length > 0 ? mutated : body;

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "...";
}

public sealed class SqliteFuzzTests(ITestOutputHelper output) : FuzzContract(output)
{
    protected override string Provider => "Sqlite";
}

public sealed class PostgresFuzzTests(ITestOutputHelper output) : FuzzContract(output)
{
    protected override string Provider => "Postgres";
}

/// <summary>Structural and textual mutations of a JSON body.</summary>
public static class Mutator
{
    private static readonly Func<Random, JsonNode?>[] Values =
    [
        _ => null,
        _ => JsonValue.Create(true),
        r => JsonValue.Create(-r.Next(1, 1000)),
        _ => JsonValue.Create(long.MaxValue),
        _ => JsonNode.Parse("1e308"),
        _ => JsonNode.Parse("99999999999999999999999"),
        _ => JsonValue.Create(3.75),
        _ => JsonValue.Create(""),
        _ => JsonValue.Create("   "),
        r => JsonValue.Create(new string('x', r.Next(100, 70000))),
        _ => JsonValue.Create("ünïcødé \u0000 \ud83d\ude00 '\"<>"),
        _ => JsonValue.Create("12"),
        _ => new JsonObject(),
        _ => new JsonArray(),
        _ => new JsonArray(1, "a", null),
        _ => new JsonObject { ["content_type"] = 9, ["data_type"] = 999, ["pressure_mode"] = -3 },
    ];

    public static string Mutate(string json, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return TextMutation(json, random);
            case 1:
                return Deep(random.Next(50, 200));
            default:
                var root = JsonNode.Parse(json)!;
                var mutations = random.Next(1, 4);
                for (var i = 0; i < mutations; i++)
                {
                    root = StructuralMutation(root, random);
                }
                return root?.ToJsonString() ?? "null";
        }
    }

    public static string MutatePath(string path, Random random)
    {
        var parts = path.Split('/');
        var numeric = Enumerable.Range(0, parts.Length).Where(i => long.TryParse(parts[i], out _)).ToList();
        if (numeric.Count == 0)
        {
            return path;
        }
        string[] replacements = ["-1", "abc", "99999999999999999999", "0", "1.5", "%20", "9223372036854775807"];
        parts[numeric[random.Next(numeric.Count)]] = replacements[random.Next(replacements.Length)];
        return string.Join('/', parts);
    }

    private static string TextMutation(string json, Random random)
    {
        var sb = new StringBuilder(json);
        switch (random.Next(4))
        {
            case 0: return json[..random.Next(json.Length)];
            case 1: sb.Insert(random.Next(json.Length), "{[\",:}]"[random.Next(7)]); return sb.ToString();
            case 2: sb.Remove(random.Next(json.Length), 1); return sb.ToString();
            default: return random.Next(2) == 0 ? "" : "\u00ff\u00fe garbage";
        }
    }

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private static JsonNode? StructuralMutation(JsonNode? root, Random random)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        if (containers.Count == 0 || random.Next(20) == 0)
        {
            return Values[random.Next(Values.Length)](random);
        }
        var container = containers[random.Next(containers.Count)];
        if (container is JsonObject o)
        {
            var keys = o.Select(kv => kv.Key).ToList();
            var action = random.Next(3);
            if (keys.Count == 0 || action == 0)
            {
                o["fuzz_" + random.Next(100)] = Values[random.Next(Values.Length)](random);
            }
            else if (action == 1)
            {
                o.Remove(keys[random.Next(keys.Count)]);
            }
            else
            {
                o[keys[random.Next(keys.Count)]] = Values[random.Next(Values.Length)](random);
            }
        }
        else if (container is JsonArray a)
        {
            if (a.Count == 0 || random.Next(2) == 0)
            {
                a.Add(Values[random.Next(Values.Length)](random));
            }
            else
            {
                a[random.Next(a.Count)] = Values[random.Next(Values.Length)](random);
            }
        }
        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        switch (node)
        {
            case JsonObject o:
                into.Add(o);
                foreach (var (_, v) in o)
                {
                    Collect(v, into);
                }
                break;
            case JsonArray a:
                into.Add(a);
                foreach (var v in a)
                {
                    Collect(v, into);
                }
                break;
        }
    }
}
