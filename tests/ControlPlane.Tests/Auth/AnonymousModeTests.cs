using PerfTest.ControlPlane.Hosting;
using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>Without credentials the service runs open only on loopback, and refuses to run elsewhere.</summary>
public sealed class AnonymousModeTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://127.8.9.10:80", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("https://10.1.2.3:443", false)]
    public void Loopback_addresses_are_told_from_the_others(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddress.IsLoopback(address));

    [Theory]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1", 5081)]
    [InlineData("http://[::1]:7001/", "::1", 7001)]
    [InlineData("http://localhost:5000", "localhost", 5000)]
    [InlineData("http://+:80", "+", 80)]
    [InlineData("http://example", "example", null)]
    public void Addresses_split_into_host_and_port(string address, string host, int? port) =>
        Assert.Equal((host, port), ListenAddress.Split(address));

    [Fact]
    public async Task Anonymous_requests_are_served_on_loopback()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        Assert.Equal(200, (await server.Http.GetJsonAsync("/v1/0a1b2c3d4e5f/test-suites")).Status);
    }

    [Fact]
    public async Task Bound_beyond_loopback_without_credentials_it_refuses_to_run()
    {
        var previous = Environment.ExitCode;
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(), "http://0.0.0.0:0");
            Assert.True(server.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the service kept running");
            Assert.Equal(2, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    [Theory]
    [InlineData("Host", "evil.example", 403, "Host was evil.example")]
    [InlineData("Host", "127.0.0.1.nip.io", 403, "loopback name")]
    [InlineData("Origin", "http://evil.example", 403, "Origin http://evil.example")]
    [InlineData("Origin", "null", 403, "Origin null")]
    [InlineData("Sec-Fetch-Site", "cross-site", 403, "cross-site")]
    [InlineData("Content-Type", "application/x-www-form-urlencoded", 415, "application/json")]
    [InlineData("Content-Type", "text/plain", 415, "application/json")]
    [InlineData("Content-Type", "multipart/form-data; boundary=x", 415, "application/json")]
    public async Task Requests_a_web_page_could_make_are_refused_in_dev_mode(string header, string value, int status, string named)
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        var r = await server.Http.SendJsonAsync(HttpMethod.Post, "/v1/0a1b2c3d4e5f/test-suites", """{"name":"from a page"}""",
            m => SetHeader(m, header, value));
        Assert.Equal(status, r.Status);
        Assert.Equal(status == 403 ? "CPTS.04030001" : "CPTS.04150001", r.Object["error_code"]!.GetValue<string>());
        Assert.Contains("anonymous dev mode", r.Object["error_msg"]!.GetValue<string>());
        Assert.Contains(named, r.Object["error_msg"]!.GetValue<string>());
        Assert.Empty((await server.Http.GetJsonAsync("/v1/0a1b2c3d4e5f/test-suites")).Object["projects"]!.AsArray());
    }

    [Theory]
    [InlineData("Host", "localhost")]
    [InlineData("Host", "[::1]")]
    [InlineData("Host", "127.8.9.10")]
    [InlineData("Origin", "http://localhost:3000")]
    [InlineData("Origin", "http://127.0.0.1:5080")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Sec-Fetch-Site", "none")]
    [InlineData("Content-Type", "application/json; charset=utf-8")]
    public async Task Local_programs_and_loopback_pages_are_served_in_dev_mode(string header, string value)
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        var r = await server.Http.SendJsonAsync(HttpMethod.Post, "/v1/0a1b2c3d4e5f/test-suites", """{"name":"local"}""",
            m => SetHeader(m, header, value));
        Assert.Equal(201, r.Status);
    }

    [Fact]
    public async Task A_request_without_a_body_needs_no_content_type_in_dev_mode()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        var id = (await server.Http.PostJsonAsync("/v1/0a1b2c3d4e5f/test-suites", """{"name":"p"}""")).Object["project_id"]!.GetValue<long>();
        Assert.Equal(204, (await server.Http.DeleteAsync2($"/v1/0a1b2c3d4e5f/test-suites/{id}")).Status);
    }

    /// <summary>Sets a request header, or the body's Content-Type.</summary>
    private static void SetHeader(HttpRequestMessage message, string header, string value)
    {
        switch (header)
        {
            case "Content-Type":
                message.Content!.Headers.Remove("Content-Type");
                message.Content.Headers.TryAddWithoutValidation("Content-Type", value);
                break;
            case "Host":
                message.Headers.Host = value;
                break;
            default:
                message.Headers.TryAddWithoutValidation(header, value);
                break;
        }
    }
}
