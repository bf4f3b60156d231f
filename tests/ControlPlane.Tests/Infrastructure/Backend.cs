namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>Where a test server keeps its data: a fresh SQLite file or a fresh PostgreSQL database.</summary>
public sealed class Backend
{
    private Backend(string provider, string location)
    {
        Provider = provider;
        Location = location;
    }

    public string Provider { get; }
    public string Location { get; }

    public static Backend NewSqlite() =>
        new("Sqlite", Path.Combine(Path.GetTempPath(), "perftest-tests", Guid.NewGuid().ToString("N"), "perftest.db"));

    public static async Task<Backend> NewPostgresAsync() => new("Postgres", await PostgresServer.CreateDatabaseAsync());

    public static Task<Backend> NewAsync(string provider) =>
        provider == "Postgres" ? NewPostgresAsync() : Task.FromResult(NewSqlite());

    public Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = Provider };
        if (Provider == "Postgres")
        {
            settings["ConnectionStrings:Postgres"] = Location;
        }
        else
        {
            settings["Storage:SqlitePath"] = Location;
        }
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        return settings;
    }
}
