using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>The case script of this release through the REST API: setup once per VU, bodies, think time, HTTPS.</summary>
public sealed class ScriptRunTests : IAsyncLifetime
{
    private const string P = "/v1/" + RunHarness.Tenant;
    private ControlPlaneServer _server = null!;
    private TargetServer _target = null!;
    private TargetServer _tls = null!;
    private RunHarness _run = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _tls = await TargetServer.StartAsync(SelfSigned());
        _server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Executors:AcceptAnyCertificate"] = "true",
        }));
        _run = new RunHarness(_server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _target.DisposeAsync();
        await _tls.DisposeAsync();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private static string Packet(string name, string method, Uri url, int bodyType, string bodys, int protocol = 1) => $$"""
        { "content_type": 2, "content": { "name": "{{name}}", "method": "{{method}}", "url": "{{url}}", "protocol_type": {{protocol}},
          "body_type": {{bodyType}}, "bodys": {{bodys}}, "headers": [] } }
        """;

    [Fact]
    public async Task Setup_runs_once_per_vu_and_bodies_and_think_times_are_sent_as_written()
    {
        var c = await _run.CreateAsync(new Uri(_target.BaseAddress, "/ok").ToString(),
            """[ { "name": "s", "operate_mode": 1, "count": 6, "pressure_mode": 0, "issue_num": 3 } ]""");
        var echo = new Uri(_target.BaseAddress, "/echo");
        var script = $$"""
            { "name": "c", "setup_contents": [ { "content": [ {{Packet("setup", "GET", new Uri(_target.BaseAddress, "/delay/1"), 0, "[]")}} ] } ],
              "contents": [
                { "content": [ {{Packet("raw", "POST", echo, 0, "[ \"{\\\"a\\\":1}\" ]")}},
                               { "content_type": 1, "content": { "think_time": 50 } },
                               {{Packet("urlencoded", "POST", echo, 3, "[ { \"key\": \"q\", \"value\": \"a b&c\" } ]")}} ] },
                { "is_disabled": true, "content": [ {{Packet("never", "GET", new Uri(_target.BaseAddress, "/status/500"), 0, "[]")}} ] },
                { "content": [ {{Packet("form", "POST", echo, 1, "[ { \"key\": \"f\", \"value\": \"v1\" } ]")}} ] } ],
              "stages": [ { "name": "s", "operate_mode": 1, "count": 6, "pressure_mode": 0, "issue_num": 3 } ] }
            """;
        Assert.Equal(202, (await _run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/all", script)).Status);
        var runId = await _run.StartAsync(c);
        await _run.WaitAsync(c);

        Assert.Equal(3, _target.PathCounts["/delay/1"]);           // setup: once for each of the 3 VUs
        Assert.False(_target.PathCounts.ContainsKey("/status/500")); // the disabled block never ran
        var echoed = _target.Echoed.ToList();
        Assert.Equal(18, echoed.Count);                              // 6 iterations x 3 requests
        Assert.Equal(6, echoed.Count(e => e.Body == """{"a":1}"""));
        Assert.Equal(6, echoed.Count(e => e.ContentType == "application/x-www-form-urlencoded" && e.Body == "q=a%20b%26c"));
        Assert.Equal(6, echoed.Count(e => e.ContentType.StartsWith("multipart/form-data", StringComparison.Ordinal)
            && e.Body.Contains("name=\"f\"", StringComparison.Ordinal) && e.Body.Contains("v1", StringComparison.Ordinal)));

        var report = await _run.ReportAsync(runId, await _run.CaseRunIdAsync(c));
        var details = report["details"]!["data"]![0]!["detailDatas"]!.AsArray();
        Assert.Equal(["setup", "raw", "urlencoded", "form"], details.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([3L, 6L, 6L, 6L], details.Select(d => d!["requests"]!.GetValue<long>()));
        Assert.Equal(21, RunHarness.Performance(report)["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_https_target_with_a_self_signed_certificate_is_loaded_when_allowed()
    {
        var url = new UriBuilder(new Uri(_tls.BaseAddress, "/ok")) { Scheme = "https" }.Uri;
        var c = await _run.CreateAsync(url.ToString().Replace("https://", "", StringComparison.Ordinal),
            """[ { "name": "s", "operate_mode": 1, "count": 40, "pressure_mode": 0, "issue_num": 2 } ]""");
        // protocol_type 2 (HTTPS) with a URL without scheme: the card's protocol decides
        var info = await _run.TaskInfoAsync(c);
        var contents = (JsonArray)info["case_list"]![0]!["contents"]!.DeepClone();
        contents[0]!["content"]![0]!["content"]!["protocol_type"] = 2;
        Assert.Equal(202, (await _run.Http.PutJsonAsync($"{P}/task-cases/{c.Case}/target/content",
            new JsonObject { ["contents"] = contents }.ToJsonString())).Status);
        var runId = await _run.StartAsync(c);
        await _run.WaitAsync(c);
        var performance = RunHarness.Performance(await _run.ReportAsync(runId, await _run.CaseRunIdAsync(c)));
        Assert.Equal(40, performance["successCount"]!.GetValue<long>());
        Assert.Equal(40, _tls.Requests);
    }
}
