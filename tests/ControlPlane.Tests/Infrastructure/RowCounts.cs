using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>Counts rows straight in the database, to prove deletes leave nothing behind.</summary>
public static class RowCounts
{
    private static readonly string[] ProjectTables = ["tasks", "cases", "directories", "variables", "templates"];

    public static async Task<Dictionary<string, long>> ForProjectAsync(Backend backend, long projectId)
    {
        await using var c = Open(backend);
        var counts = new Dictionary<string, long>
        {
            ["projects"] = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM projects WHERE id = @projectId", new { projectId }),
        };
        foreach (var table in ProjectTables)
        {
            counts[table] = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE project_id = @projectId", new { projectId });
        }
        counts["task_cases (dangling)"] = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM task_cases l WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = l.task_id) " +
            "OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = l.case_id)");
        return counts;
    }

    public static async Task<long> LinksOfTaskAsync(Backend backend, long taskId)
    {
        await using var c = Open(backend);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM task_cases WHERE task_id = @taskId", new { taskId });
    }

    private static DbConnection Open(Backend backend)
    {
        DbConnection c = backend.Provider == "Postgres"
            ? new NpgsqlConnection(backend.Location)
            : new SqliteConnection($"Data Source={backend.Location}");
        c.Open();
        return c;
    }
}
