using Npgsql;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL server that ./test.sh starts (a throw-away cluster on a private port),
/// named by PERFTEST_POSTGRES. Each caller gets a fresh, empty database of its own.
/// There is no fallback: without PostgreSQL these tests fail, they do not skip.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "PERFTEST_POSTGRES";

    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: run the tests with ./test.sh, which starts a throw-away PostgreSQL, " +
                $"or set {Variable} to the connection string of a server where databases may be created.");
        }
        var name = "perftest_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}
