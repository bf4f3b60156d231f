using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Hosting;

/// <summary>
/// What <c>GET /healthz/ready</c> checks: the service is not shutting down, this process applied the schema
/// migrations, and the store answers <c>SELECT 1</c> within <see cref="StoreTimeout"/>.
/// </summary>
public sealed class Readiness(Database database, MigrationRunner migrations, IHostApplicationLifetime lifetime, TimeProvider clock,
    ILogger<Readiness> logger)
{
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Null when ready; else why not, in words without connection string, password or host name.</summary>
    public async Task<string?> NotReadyAsync(CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return "the service is shutting down";
        }
        if (!migrations.Applied)
        {
            return "the schema migrations have not been applied";
        }
        try
        {
            var reason = await database.ProbeAsync(StoreTimeout, clock, cancellationToken);
            if (reason is not null)
            {
                logger.LogWarning("Not ready: {Reason}", reason);
            }
            return reason;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "The readiness check of the database failed");
            return "the database check failed";
        }
    }
}
