namespace PerfTest.ControlPlane.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from the <c>Storage</c> section and <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite database file; the default lives beside the working directory.</summary>
    public string SqlitePath { get; set; } = "data/perftest.db";

    public string? PostgresConnectionString { get; set; }
}
