using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.Executor.Observability;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Observability;

/// <summary>Logging:Format's values, and ASP.NET Core's per-request lines kept at Warning unless configuration names that category.</summary>
public sealed class LogFormatTests
{
    private static ILoggerFactory Factory(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return LoggerFactory.Create(b =>
        {
            b.AddConfiguration(config.GetSection("Logging"));
            b.AddProvider(new LogSink());  // a provider that takes Information and up: what is enabled is the filters' say
            LogFormat.Configure(b, config);
        });
    }

    [Fact]
    public void Without_configuration_ASP_NET_Cores_info_lines_are_off_and_others_on()
    {
        using var factory = Factory([]);
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("PerfTest.ControlPlane.Runs.RunCoordinator").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void Configuration_that_names_the_category_turns_them_on()
    {
        using var factory = Factory(new() { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void An_unknown_format_is_refused_naming_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Factory(new() { ["Logging:Format"] = "xml" }));
        Assert.Equal("Logging:Format is 'xml': use text (the default) or json", e.Message);
    }
}
