using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Auth;

/// <summary>A configured credential with a blank key or token would let anyone in: the service refuses to run with one.</summary>
public sealed class BlankCredentialTests
{
    [Theory]
    [InlineData("Auth:Credentials:0:SecretKey", "")]
    [InlineData("Auth:Credentials:0:SecretKey", "   ")]
    [InlineData("Auth:Credentials:0:AccessKey", "")]
    [InlineData("Auth:Tokens:0:Token", "")]
    [InlineData("Auth:Tokens:0:Token", " \t")]
    public async Task A_blank_key_or_token_stops_the_service_with_a_critical_log_naming_it(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Credentials:0:AccessKey"] = "AK1",
            ["Auth:Credentials:0:SecretKey"] = "SK1",
            ["Auth:Credentials:0:ProjectIds:0"] = "0a1b2c3d4e5f",
            ["Auth:Tokens:0:Token"] = "tok-1",
            ["Auth:Tokens:0:ProjectIds:0"] = "0a1b2c3d4e5f",
            [key] = value,
        };
        var previous = Environment.ExitCode;
        var logs = new LogSink();
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(settings), logs: logs);
            Assert.True(server.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the service kept running");
            Assert.Equal(2, Environment.ExitCode);
            Assert.Contains(logs.Log.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal)
                && l.Contains($"{key} is empty or blank", StringComparison.Ordinal) && l.Contains("Refusing to run", StringComparison.Ordinal));
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    [Fact]
    public async Task Complete_credentials_run()
    {
        var previous = Environment.ExitCode;
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings(new Dictionary<string, string?>
        {
            ["Auth:Credentials:0:AccessKey"] = "AK1",
            ["Auth:Credentials:0:SecretKey"] = "SK1",
            ["Auth:Tokens:0:Token"] = "tok-1",
        }));
        Assert.False(server.App.Lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(previous, Environment.ExitCode);
    }
}
