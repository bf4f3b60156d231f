using System.Data.Common;
using System.Reflection;
using Dapper;

namespace PerfTest.ControlPlane.Storage;

/// <summary>
/// Applies the versioned scripts under Storage/Migrations/{provider}/NNNN_name.sql in order,
/// each in its own transaction, and records them in schema_migrations. A script that was
/// applied is never run again; a failed one leaves the database as it was before it.
/// </summary>
public sealed class MigrationRunner(Database database, ILogger<MigrationRunner> logger)
{
    private volatile bool _applied;

    /// <summary>Whether <see cref="ApplyAsync"/> has brought the schema up to date in this process (readiness needs it).</summary>
    public bool Applied => _applied;

    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers go on while a writer commits; the setting stays with the file.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        else
        {
            // Two control planes starting at once must not both migrate.
            await connection.ExecuteAsync("SELECT pg_advisory_lock(727001)");
        }
        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var script in Scripts(database.Provider).Where(s => !applied.Contains(s.Version)))
            {
                await ApplyOneAsync(connection, script, cancellationToken);
            }
            _applied = true;
        }
        finally
        {
            if (database.Provider == StorageProvider.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(727001)");
            }
        }
    }

    private async Task ApplyOneAsync(DbConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(script.Sql, transaction: transaction);
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_us) VALUES (@Version, @Name, @Now)",
            new { script.Version, script.Name, Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 }, transaction);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Applied migration {Version} {Name}", script.Version, script.Name);
    }

    public static IReadOnlyList<MigrationScript> Scripts(StorageProvider provider)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"{assembly.GetName().Name}.Storage.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^4]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    private static MigrationScript Load(Assembly assembly, string resource, string fileName)
    {
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(fileName[..underscore].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new MigrationScript(version, fileName[(underscore + 1)..], reader.ReadToEnd());
    }
}

public sealed record MigrationScript(int Version, string Name, string Sql);
