using PerfTest.ControlPlane.Tests.Infrastructure;
using Xunit;

namespace PerfTest.EndToEnd.Tests;

/// <summary>A real local target and a real control plane (embedded executor, SQLite), driven through the REST API.</summary>
public abstract class RunTestBase : IAsyncLifetime
{
    protected ControlPlaneServer Server { get; private set; } = null!;
    protected TargetServer Target { get; private set; } = null!;
    protected RunHarness Run { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Target = await TargetServer.StartAsync();
        Server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());
        Run = new RunHarness(Server);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Target.DisposeAsync();
    }
}
