using System.Text;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>
/// What a signature does not cover is refused: a body declared UNSIGNED-PAYLOAD, a replay of an accepted
/// state-changing request, a query whose decoded values differ from the signed ones. Over real HTTP.
/// </summary>
public sealed class SignedRequestHardeningTests : IAsyncLifetime
{
    private const string Ak = "HPUAEXAMPLEAK0000002";
    private const string Sk = "sk-for-hardening";
    private const string Mine = "0a1b2c3d4e5f";
    private ControlPlaneServer _server = null!;
    private SignedClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(Credential()));
        _client = new SignedClient(_server, Ak, Sk, Mine);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, string?> Credential(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Credentials:0:AccessKey"] = Ak,
            ["Auth:Credentials:0:SecretKey"] = Sk,
            ["Auth:Credentials:0:ProjectIds:0"] = Mine,
        };
        foreach (var (k, v) in more ?? [])
        {
            settings[k] = v;
        }
        return settings;
    }

    private static void Unsigned(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");

    private static async Task<int> ProjectCountAsync(SignedClient client) =>
        (await client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites")).Object["projects"]!.AsArray().Count;

    [Fact]
    public async Task An_unsigned_payload_with_a_body_is_401_and_changes_nothing()
    {
        var before = await ProjectCountAsync(_client);
        var r = await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"unsigned"}""", prepare: Unsigned);
        Assert.Equal(401, r.Status);
        Assert.Equal("CPTS.04010001", r.Object["error_code"]!.GetValue<string>());
        Assert.Contains("UNSIGNED-PAYLOAD", r.Object["error_msg"]!.GetValue<string>());

        // A chunked body (no Content-Length) is a body too.
        var chunked = await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", prepare: m =>
        {
            Unsigned(m);
            m.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"name":"chunked"}""")));
            m.Content.Headers.ContentType = new("application/json");
        });
        Assert.Equal(401, chunked.Status);
        Assert.Contains("UNSIGNED-PAYLOAD", chunked.Object["error_msg"]!.GetValue<string>());
        Assert.Equal(before, await ProjectCountAsync(_client));

        // Without a body there is nothing the signature leaves out.
        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites", prepare: Unsigned)).Status);
    }

    [Fact]
    public async Task A_replayed_state_changing_request_is_401_and_a_replayed_read_is_served()
    {
        var at = DateTime.UtcNow;
        var before = await ProjectCountAsync(_client);
        var first = await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"once"}""", at);
        Assert.Equal(201, first.Status);
        var replay = await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"once"}""", at);
        Assert.Equal(401, replay.Status);
        Assert.Equal("CPTS.04010001", replay.Object["error_code"]!.GetValue<string>());
        Assert.Contains("the request was already received (replayed signature)", replay.Object["error_msg"]!.GetValue<string>());
        Assert.Equal(before + 1, await ProjectCountAsync(_client));

        var id = first.Object["project_id"]!.GetValue<long>();
        Assert.Equal(204, (await _client.SendAsync(HttpMethod.Delete, $"/v1/{Mine}/test-suites/{id}", at: at)).Status);
        Assert.Equal(401, (await _client.SendAsync(HttpMethod.Delete, $"/v1/{Mine}/test-suites/{id}", at: at)).Status);

        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites", at: at)).Status);
        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites", at: at)).Status);
    }

    [Fact]
    public async Task A_request_refused_for_its_signature_does_not_use_up_the_signature()
    {
        var at = DateTime.UtcNow;
        var wrong = await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"w"}""", at, secretKey: "not-the-key");
        Assert.Equal(401, wrong.Status);
        Assert.Equal(201, (await _client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"w"}""", at)).Status);
    }

    public static TheoryData<string> Values() => new() { "a+b", "a b", "%20", "~tilde~", "ünï 中文", "a+ b%2B~" };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_query_sent_as_the_sdks_send_it_is_accepted(string value)
    {
        List<(string, string)> query = [("limit", "10"), ("name", value), ("offset", "0")];
        var path = $"/v1/{Mine}/test-suites?{HuaweiSdkSigner.CanonicalQuery(query)}";
        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Get, path, query: query)).Status);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_query_with_spaces_sent_as_plus_is_verified_as_the_endpoints_read_it(string value)
    {
        // Form encoding: what a browser, Java's URLEncoder or .NET's WebUtility send; '+' means a space.
        List<(string, string)> query = [("name", value)];
        var form = Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
        Assert.Equal(200, (await _client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites?name={form}", query: query)).Status);
    }

    [Fact]
    public async Task A_plus_signed_as_a_plus_but_sent_bare_is_401_because_the_endpoints_read_a_space()
    {
        List<(string, string)> query = [("name", "a+b")];
        var r = await _client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites?name=a+b", query: query);
        Assert.Equal(401, r.Status);
        Assert.Contains("signature does not match", r.Object["error_msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unsigned_payloads_are_accepted_when_configured_and_a_full_replay_set_refuses_with_429()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(Credential(new()
        {
            ["Auth:AllowUnsignedPayload"] = "true",
            ["Auth:MaxRememberedSignatures"] = "2",
        })));
        var client = new SignedClient(server, Ak, Sk, Mine);
        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"u1"}""", prepare: Unsigned)).Status);
        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"u2"}""")).Status);

        var full = await client.SendAsync(HttpMethod.Post, $"/v1/{Mine}/test-suites", """{"name":"u3"}""");
        Assert.Equal(429, full.Status);
        Assert.Equal("CPTS.04290001", full.Object["error_code"]!.GetValue<string>());
        Assert.Contains("Auth:MaxRememberedSignatures", full.Object["error_msg"]!.GetValue<string>());
        Assert.Equal(2, await ProjectCountAsync(client));
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, $"/v1/{Mine}/test-suites")).Status);
    }
}
